// One slave connected to this master's HA port (Java HAConnection: its ReadSocketService and
// WriteSocketService, as event handlers instead of two threads).
//
//   read:  8-byte reports (ha-protocol.ts); the first one is where the slave wants data from
//          (slaveRequestOffset), every one is an acknowledgement (slaveAckOffset) that may release
//          SYNC_MASTER sends. Nothing is sent before the first report.
//   write: from the first report on, the commit log from nextTransferFromWhere in frames of at
//          most haTransferBatchSize bytes, never across a segment end, as fast as the socket takes
//          them (at most MAX_BUFFERED_BYTES queued); an empty frame when nothing was written for
//          haSendHeartbeatInterval ms.
//
// Start position (Java): a slave reporting 0 (empty) gets the start of the master's last segment,
// any other slave its own offset. Closed (this connection only): a malformed report, an offset
// beyond the master's max offset or below its min offset (Java instead keeps such a slave
// connected and sends it only heartbeats), nothing read for haHousekeepingInterval ms, an error.
import type net from 'node:net';
import type { Logger } from '../../common/logger';
import type { CommitLog } from '../commit-log';
import { allocTransfer, ReportParser, TRANSFER_HEADER_SIZE_BYTES } from './ha-protocol';
import type { HaTimings } from './ha-timings';

/** Bytes queued on the socket before we wait for 'drain' (Java's send buffer is 64 KiB). */
const MAX_BUFFERED_BYTES = 256 * 1024;
/** Frames written in one event-loop turn before yielding to other work. */
const MAX_FRAMES_PER_TURN = 32;

/** What a connection needs of the HA service that accepted it. */
export interface HaConnectionOwner {
  readonly commitLog: CommitLog;
  readonly timings: HaTimings;
  readonly log: Logger;
  notifyTransferSome(ackedPhysicalOffset: number): void;
  removeConnection(connection: HAConnection): void;
}

/** Up to `maxBytes` written commit-log bytes from `physicalOffset` in its segment, as a transfer frame. */
export function readTransfer(commitLog: CommitLog, physicalOffset: number, maxBytes: number): Buffer | null {
  const end = commitLog.writtenPhysicalOffset;
  if (physicalOffset >= end || physicalOffset < commitLog.minPhysicalOffset) return null;
  const file = commitLog.files.findFile(physicalOffset);
  if (file === undefined) return null;
  const sizeBytes = Math.min(maxBytes, end - physicalOffset, file.fileEndOffset - physicalOffset);
  const frame = allocTransfer(physicalOffset, sizeBytes);
  const got = file.read(frame, TRANSFER_HEADER_SIZE_BYTES, sizeBytes, physicalOffset - file.fileFromOffset);
  return got === sizeBytes ? frame : null;
}

export class HAConnection {
  slaveRequestOffset = -1;
  slaveAckOffset = -1;
  readonly clientAddr: string;
  private nextTransferFromWhere = -1;
  private lastReadMs = Date.now();
  private lastWriteMs = Date.now();
  private readonly reports = new ReportParser();
  private waitingForDrain = false;
  private continuation: NodeJS.Immediate | null = null;
  private closed = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly owner: HaConnectionOwner,
  ) {
    this.clientAddr = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.waitingForDrain = false;
      this.transfer();
    });
    socket.on('error', (error) => this.close(`socket error: ${error.message}`));
    socket.on('close', () => this.close('closed by the slave'));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Heartbeat and housekeeping, called by the service's timer. */
  tick(nowMs: number): void {
    if (this.closed) return;
    const timings = this.owner.timings;
    if (nowMs - this.lastReadMs > timings.haHousekeepingInterval) {
      this.close(`housekeeping: nothing read for ${nowMs - this.lastReadMs} ms`);
      return;
    }
    if (this.nextTransferFromWhere >= 0 && !this.waitingForDrain && nowMs - this.lastWriteMs > timings.haSendHeartbeatInterval) {
      this.write(allocTransfer(this.nextTransferFromWhere, 0));
    }
  }

  /** Sends what the commit log has beyond what this slave was sent (new writes, drain, a report). */
  transfer(): void {
    if (this.closed || this.nextTransferFromWhere < 0 || this.waitingForDrain || this.continuation !== null) return;
    const commitLog = this.owner.commitLog;
    for (let frames = 0; frames < MAX_FRAMES_PER_TURN; frames++) {
      const frame = readTransfer(commitLog, this.nextTransferFromWhere, this.owner.timings.haTransferBatchSize);
      if (frame === null) return;
      this.nextTransferFromWhere += frame.length - TRANSFER_HEADER_SIZE_BYTES;
      if (!this.write(frame)) return;
    }
    this.continuation = setImmediate(() => {
      this.continuation = null;
      this.transfer();
    });
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.continuation !== null) clearImmediate(this.continuation);
    this.socket.destroy();
    this.owner.removeConnection(this);
    this.owner.log.warn(`HA connection to slave ${this.clientAddr} closed: ${reason}`);
  }

  /** False when the socket holds enough: wait for 'drain'. */
  private write(frame: Buffer): boolean {
    this.socket.write(frame);
    this.lastWriteMs = Date.now();
    if (this.socket.writableLength < MAX_BUFFERED_BYTES) return true;
    this.waitingForDrain = true;
    return false;
  }

  private onData(chunk: Buffer): void {
    this.lastReadMs = Date.now();
    const offset = this.reports.push(chunk);
    if (offset === null || this.closed) return;
    if (typeof offset === 'object') {
      this.close(offset.error);
      return;
    }
    this.onReport(offset);
  }

  private onReport(offset: number): void {
    const commitLog = this.owner.commitLog;
    const maxOffset = commitLog.writtenPhysicalOffset;
    if (offset > maxOffset) {
      this.close(`slave reported offset ${offset} beyond the master's max offset ${maxOffset}`);
      return;
    }
    this.slaveAckOffset = offset;
    if (this.slaveRequestOffset < 0) {
      if (offset !== 0 && offset < commitLog.minPhysicalOffset) {
        this.close(`slave asks for offset ${offset}, below the master's min offset ${commitLog.minPhysicalOffset}`);
        return;
      }
      this.slaveRequestOffset = offset;
      this.nextTransferFromWhere = offset !== 0 ? offset : maxOffset - (maxOffset % commitLog.fileSizeBytes);
      this.owner.log.info(`master transfer data from ${this.nextTransferFromWhere} to slave[${this.clientAddr}], and slave request ${offset}`);
    }
    this.owner.notifyTransferSome(offset);
    this.transfer();
  }
}

// One slave connected to this master's HA port (Java HAConnection: its ReadSocketService and
// WriteSocketService, as event handlers instead of two threads).
//
//   read:  8-byte reports (ha-protocol.ts); the first one is where the slave wants data from
//          (slaveRequestOffset), every one is an acknowledgement (slaveAckOffset) that may release
//          SYNC_MASTER sends. Nothing is sent before the first report.
//   write: from the first report on, the commit log from nextTransferFromWhere in frames of at
//          most haTransferBatchSize bytes, never across a segment end, as fast as the socket takes
//          them (at most MAX_BUFFERED_BYTES queued); an empty frame when nothing was written for
//          haSendHeartbeatInterval ms. Recent bytes are read on the event loop; older ones (a slave
//          catching up on a backlog) on the thread pool, one frame at a time, so sends keep flowing.
//
// Start position (Java): a slave reporting 0 (empty) gets the start of the master's last segment,
// any other slave its own offset. Closed (this connection only): a malformed report, an offset
// beyond the master's max offset or below its min offset (Java instead keeps such a slave
// connected and sends it only heartbeats), nothing read for haHousekeepingInterval ms, an error.
import type net from 'node:net';
import type { Logger } from '../../common/logger';
import type { CommitLog } from '../commit-log';
import type { StoreFile } from '../store-file';
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
  /** True when the bytes at `physicalOffset` are probably in the page cache (read them on the loop). */
  isHot(physicalOffset: number): boolean;
  notifyTransferSome(ackedPhysicalOffset: number): void;
  removeConnection(connection: HAConnection): void;
}

/** Where the next frame's bytes are: up to `maxBytes` written bytes from `physicalOffset`, in its segment. */
export interface TransferSpan {
  file: StoreFile;
  filePosition: number;
  sizeBytes: number;
}

export function planTransfer(commitLog: CommitLog, physicalOffset: number, maxBytes: number): TransferSpan | null {
  const end = commitLog.writtenPhysicalOffset;
  if (physicalOffset >= end || physicalOffset < commitLog.minPhysicalOffset) return null;
  const file = commitLog.files.findFile(physicalOffset);
  if (file === undefined) return null;
  const sizeBytes = Math.min(maxBytes, end - physicalOffset, file.fileEndOffset - physicalOffset);
  return { file, filePosition: physicalOffset - file.fileFromOffset, sizeBytes };
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
  /** A frame of older bytes is being read on the thread pool. */
  private reading = false;
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
    if (
      this.nextTransferFromWhere >= 0 &&
      !this.waitingForDrain &&
      !this.reading &&
      nowMs - this.lastWriteMs > timings.haSendHeartbeatInterval
    ) {
      this.write(allocTransfer(this.nextTransferFromWhere, 0));
    }
  }

  /** Sends what the commit log has beyond what this slave was sent (new writes, drain, a report). */
  transfer(): void {
    if (
      this.closed ||
      this.nextTransferFromWhere < 0 ||
      this.waitingForDrain ||
      this.continuation !== null ||
      this.reading
    )
      return;
    const commitLog = this.owner.commitLog;
    for (let frames = 0; frames < MAX_FRAMES_PER_TURN; frames++) {
      const span = planTransfer(commitLog, this.nextTransferFromWhere, this.owner.timings.haTransferBatchSize);
      if (span === null) return;
      const frame = allocTransfer(this.nextTransferFromWhere, span.sizeBytes);
      if (!this.owner.isHot(this.nextTransferFromWhere)) {
        this.readCold(span, frame);
        return;
      }
      if (span.file.read(frame, TRANSFER_HEADER_SIZE_BYTES, span.sizeBytes, span.filePosition) !== span.sizeBytes) {
        this.close(`short read of the commit log at ${this.nextTransferFromWhere}`);
        return;
      }
      if (!this.send(frame, span.sizeBytes)) return;
    }
    this.continuation = setImmediate(() => {
      this.continuation = null;
      this.transfer();
    });
  }

  private readCold(span: TransferSpan, frame: Buffer): void {
    this.reading = true;
    span.file.readAsync(frame, TRANSFER_HEADER_SIZE_BYTES, span.sizeBytes, span.filePosition).then(
      (got) => {
        this.reading = false;
        if (this.closed) return;
        if (got !== span.sizeBytes) this.close(`short read of the commit log at ${this.nextTransferFromWhere}`);
        else if (this.send(frame, span.sizeBytes)) this.transfer();
      },
      (error: Error) => {
        this.reading = false;
        this.close(`commit log read failed: ${error.message}`);
      },
    );
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.continuation !== null) clearImmediate(this.continuation);
    this.socket.destroy();
    this.owner.removeConnection(this);
    this.owner.log.warn(`HA connection to slave ${this.clientAddr} closed: ${reason}`);
  }

  /** Sends a frame of `bodySizeBytes` bytes from nextTransferFromWhere on; false: wait for 'drain'. */
  private send(frame: Buffer, bodySizeBytes: number): boolean {
    this.nextTransferFromWhere += bodySizeBytes;
    return this.write(frame);
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
      this.owner.log.info(
        `master transfer data from ${this.nextTransferFromWhere} to slave[${this.clientAddr}], and slave request ${offset}`,
      );
    }
    this.owner.notifyTransferSome(offset);
    this.transfer();
  }
}

// HAClient (Java HAService.HAClient): a slave following its master's commit log.
//
// Connects to the master's HA address (haMasterAddress, or the haServerAddr the NameServer gives
// a slave) and reports its max commit-log offset: on connect (Java waits until
// haSendHeartbeatInterval has passed first; a master cannot tell the difference), after every read
// that appended bytes, and when nothing was reported for haSendHeartbeatInterval ms. Each frame
// received must start where the slave's commit log ends (except into an empty log, which then
// starts there); its bytes are appended as they are (byte-identical files) and the store's reput
// builds consume queues and the index from them. Closed on a malformed frame, an offset mismatch
// or an append that fails, an error, and when the master sent nothing (not even a heartbeat) for
// haHousekeepingInterval ms; a new connection is tried at most every RECONNECT_INTERVAL_MS.
import net from 'node:net';
import type { Logger } from '../../common/logger';
import { encodeReport, TransferParser } from './ha-protocol';
import { type HaTimings, tickIntervalMs } from './ha-timings';

/** Java retries a failed connection every 5 s. */
export const RECONNECT_INTERVAL_MS = 5000;
/** A connect attempt that has not completed by then is abandoned. */
const CONNECT_TIMEOUT_MS = 5000;
/** Reports queued on a socket the master does not read: beyond this the connection is dropped. */
const MAX_UNSENT_REPORT_BYTES = 64 * 1024;

/** What the slave side needs of its store (Java DefaultMessageStore). */
export interface HaSlaveStore {
  getMaxPhyOffset(): number;
  /** Appends `data` at `physicalOffset` (the end of the log, or any segment start of an empty log). */
  appendToCommitLog(physicalOffset: number, data: Buffer): boolean;
}

export class HAClient {
  private masterAddress: string | null = null;
  private socket: net.Socket | null = null;
  private connected = false;
  private parser = new TransferParser();
  private currentReportedOffset = 0;
  private connectStartedMs = 0;
  private lastWriteMs = 0;
  private lastReadMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly timings: HaTimings,
    private readonly store: HaSlaveStore,
    private readonly log: Logger,
    private readonly reconnectIntervalMs = RECONNECT_INTERVAL_MS,
  ) {}

  get isConnected(): boolean {
    return this.connected;
  }

  get master(): string | null {
    return this.masterAddress;
  }

  updateMasterAddress(address: string): void {
    if (address === this.masterAddress) return;
    this.log.info(`update master address, OLD: ${this.masterAddress} NEW: ${address}`);
    this.masterAddress = address;
    if (this.socket !== null) this.closeMaster('the master address changed');
    this.connectStartedMs = 0;
    this.tick();
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), tickIntervalMs(this.timings));
    this.timer.unref();
  }

  shutdown(): void {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.socket !== null) this.closeMaster('shutdown');
  }

  private tick(): void {
    if (this.stopped) return;
    const nowMs = Date.now();
    if (this.socket === null) {
      if (this.masterAddress !== null && nowMs - this.connectStartedMs >= this.reconnectIntervalMs)
        this.connectMaster(this.masterAddress, nowMs);
      return;
    }
    if (!this.connected) {
      if (nowMs - this.connectStartedMs > CONNECT_TIMEOUT_MS)
        this.closeMaster(`connect timed out after ${CONNECT_TIMEOUT_MS} ms`);
      return;
    }
    if (nowMs - this.lastReadMs > this.timings.haHousekeepingInterval) {
      this.closeMaster(`housekeeping: the master sent nothing for ${nowMs - this.lastReadMs} ms`);
      return;
    }
    if (nowMs - this.lastWriteMs > this.timings.haSendHeartbeatInterval) this.report(this.currentReportedOffset);
  }

  private connectMaster(address: string, nowMs: number): void {
    const separator = address.lastIndexOf(':');
    const port = Number(address.slice(separator + 1));
    if (separator <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
      this.connectStartedMs = nowMs;
      this.log.warn(`HAClient: bad master address ${address}`);
      return;
    }
    this.connectStartedMs = nowMs;
    const socket = net.connect({ host: address.slice(0, separator), port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      if (this.socket !== socket) return;
      this.connected = true;
      this.lastReadMs = Date.now();
      this.currentReportedOffset = this.store.getMaxPhyOffset();
      this.log.info(`HAClient connected to master ${address}, reporting offset ${this.currentReportedOffset}`);
      this.report(this.currentReportedOffset);
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.socket === socket) this.onData(chunk);
    });
    socket.on('error', (error) => {
      if (this.socket === socket) this.closeMaster(`socket error: ${error.message}`);
    });
    socket.on('close', () => {
      if (this.socket === socket) this.closeMaster('closed by the master');
    });
  }

  private onData(chunk: Buffer): void {
    this.lastReadMs = Date.now();
    const frames = this.parser.push(chunk);
    if ('error' in frames) {
      this.closeMaster(frames.error);
      return;
    }
    for (const frame of frames) {
      const slavePhysicalOffset = this.store.getMaxPhyOffset();
      if (slavePhysicalOffset !== 0 && slavePhysicalOffset !== frame.physicalOffset) {
        this.closeMaster(
          `master pushed offset not equal the max phy offset in slave, SLAVE: ${slavePhysicalOffset} MASTER: ${frame.physicalOffset}`,
        );
        return;
      }
      if (!this.store.appendToCommitLog(frame.physicalOffset, frame.body)) {
        this.closeMaster(`cannot append ${frame.body.length} bytes at ${frame.physicalOffset}`);
        return;
      }
    }
    const maxOffset = this.store.getMaxPhyOffset();
    if (maxOffset > this.currentReportedOffset) {
      this.currentReportedOffset = maxOffset;
      this.report(maxOffset);
    }
  }

  private report(offset: number): void {
    const socket = this.socket;
    if (socket === null) return;
    socket.write(encodeReport(offset));
    this.lastWriteMs = Date.now();
    if (socket.writableLength > MAX_UNSENT_REPORT_BYTES) this.closeMaster('the master does not read our reports');
  }

  private closeMaster(reason: string): void {
    const socket = this.socket;
    if (socket === null) return;
    this.socket = null;
    this.connected = false;
    this.parser = new TransferParser();
    socket.destroy();
    this.log.warn(`HAClient: connection to master ${this.masterAddress} closed: ${reason}`);
  }
}

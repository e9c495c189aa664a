// HAService (Java org.apache.rocketmq.store.ha.HAService): the store's replication.
//
// Every broker listens on haListenPort (Java's AcceptSocketService runs for every role) and sends
// its commit log to the slaves that connect (ha-connection.ts). The highest offset any slave has
// acknowledged (push2SlaveMaxOffset, never lowered, as in Java) drives SYNC_MASTER: a send waits
// in the GroupTransferService until it is covered, and gets SLAVE_NOT_AVAILABLE at once when no
// slave is connected or the acknowledged offset is haSlaveFallbehindMax or more behind it
// (isSlaveOK). A SLAVE also runs the HAClient (ha-client.ts) once it knows its master's address.
import net from 'node:net';
import type { Logger } from '../../common/logger';
import type { CommitLog } from '../commit-log';
import type { MessageStoreConfig } from '../message-store-config';
import type { ReplicaWaiter } from '../put-completion';
import type { PendingPut } from '../sync-flush-queue';
import { GroupTransferService } from './group-transfer-service';
import { HAClient, type HaSlaveStore } from './ha-client';
import { HAConnection, type HaConnectionOwner } from './ha-connection';
import { type HaTimings, tickIntervalMs } from './ha-timings';

/** Slaves served at once; more are refused (a master has one or two). */
const MAX_SLAVE_CONNECTIONS = 32;

export class HAService implements ReplicaWaiter, HaConnectionOwner {
  readonly groupTransferService: GroupTransferService;
  private readonly connections = new Set<HAConnection>();
  private server: net.Server | null = null;
  private timer: NodeJS.Timeout | null = null;
  private haClient: HAClient | null = null;
  /** Java push2SlaveMaxOffset: the highest offset a slave acknowledged. */
  private push2SlaveMaxOffset = 0;

  constructor(
    private readonly config: MessageStoreConfig,
    readonly commitLog: CommitLog,
    private readonly slaveStore: HaSlaveStore,
    readonly log: Logger,
    /** Bytes this close to the log end (and written by this process) are read on the event loop. */
    private readonly hotWindowBytes: number,
  ) {
    this.groupTransferService = new GroupTransferService(() => config.syncFlushTimeout);
  }

  isHot(physicalOffset: number): boolean {
    return this.commitLog.isHot(physicalOffset, this.hotWindowBytes);
  }

  get timings(): HaTimings {
    return this.config;
  }

  /** The port the HA server listens on (haListenPort, or the one picked when that is 0). */
  get port(): number {
    const address = this.server?.address();
    return address !== null && typeof address === 'object' ? address.port : this.config.haListenPort;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Each connected slave's HA address and the commit-log offset it last acknowledged (-1: none yet). */
  slaveAckOffsets(): { clientAddr: string; slaveAckOffset: number }[] {
    return [...this.connections].map((connection) => ({
      clientAddr: connection.clientAddr,
      slaveAckOffset: connection.slaveAckOffset,
    }));
  }

  get push2SlaveMaxOffsetValue(): number {
    return this.push2SlaveMaxOffset;
  }

  /** Listens on haListenPort at `host`. */
  async start(host: string): Promise<void> {
    const server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.haListenPort, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.log.error(`HA server error: ${error.message}`));
    this.server = server;
    this.timer = setInterval(() => this.tick(), tickIntervalMs(this.config));
    this.timer.unref();
  }

  /** Java updateMasterAddress: a slave (re)connects to this master's HA address. */
  updateMasterAddress(address: string): void {
    if (this.haClient === null) {
      this.haClient = new HAClient(this.config, this.slaveStore, this.log);
      this.haClient.start();
    }
    this.haClient.updateMasterAddress(address);
  }

  get client(): HAClient | null {
    return this.haClient;
  }

  isSlaveOK(masterPutWhere: number): boolean {
    return this.connections.size > 0 && masterPutWhere - this.push2SlaveMaxOffset < this.config.haSlaveFallbehindMax;
  }

  waitForSlave(puts: PendingPut[], writtenAtMs: number): void {
    this.groupTransferService.add(puts, writtenAtMs);
  }

  /** Java slaveFallBehindMuch: bytes written that no slave has acknowledged. */
  slaveFallBehindMuch(): number {
    return this.commitLog.writtenPhysicalOffset - this.push2SlaveMaxOffset;
  }

  notifyTransferSome(ackedPhysicalOffset: number): void {
    if (ackedPhysicalOffset <= this.push2SlaveMaxOffset) return;
    this.push2SlaveMaxOffset = ackedPhysicalOffset;
    this.groupTransferService.notifyTransferSome(ackedPhysicalOffset);
  }

  /** New bytes were written: every slave that was caught up gets them now. */
  notifyWritten(): void {
    for (const connection of this.connections) connection.transfer();
  }

  removeConnection(connection: HAConnection): void {
    this.connections.delete(connection);
  }

  /**
   * Stops serving and following. SYNC_MASTER sends still waiting are answered by
   * `groupTransferService.shutdown()`, which the store calls once its last writes were flushed.
   */
  async shutdown(): Promise<void> {
    this.stopAll();
  }

  /** A simulated kill: sockets close, waiting sends are never answered. */
  halt(): void {
    this.stopAll();
    this.groupTransferService.clear();
  }

  private stopAll(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.haClient?.shutdown();
    for (const connection of [...this.connections]) connection.close('HA service shutdown');
    this.server?.close();
    this.server = null;
  }

  private accept(socket: net.Socket): void {
    if (this.connections.size >= MAX_SLAVE_CONNECTIONS) {
      this.log.warn(
        `HA connection from ${socket.remoteAddress}:${socket.remotePort} refused: ${MAX_SLAVE_CONNECTIONS} slaves already`,
      );
      socket.destroy();
      return;
    }
    this.log.info(`HAService receive new connection, ${socket.remoteAddress}:${socket.remotePort}`);
    this.connections.add(new HAConnection(socket, this));
  }

  private tick(): void {
    const nowMs = Date.now();
    for (const connection of [...this.connections]) connection.tick(nowMs);
  }
}

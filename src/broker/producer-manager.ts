// ProducerManager: producer connections per group (for GET_PRODUCER_CONNECTION_LIST and, later,
// transaction check-backs). Members leave on unregister, connection close, or 120 s of silence.
import type { Connection } from '../remoting/connection';
import type { ClientChannelInfo } from './consumer-manager';

export class ProducerManager {
  readonly groupChannelTable = new Map<string, Map<Connection, ClientChannelInfo>>();

  constructor(private readonly channelExpiredTimeoutMs = 120_000) {}

  registerProducer(group: string, info: ClientChannelInfo): void {
    let channels = this.groupChannelTable.get(group);
    if (channels === undefined) {
      channels = new Map();
      this.groupChannelTable.set(group, channels);
    }
    const existing = channels.get(info.connection);
    if (existing !== undefined) existing.lastUpdateTimestampMs = info.lastUpdateTimestampMs;
    else channels.set(info.connection, info);
  }

  unregisterProducer(group: string, connection: Connection): void {
    const channels = this.groupChannelTable.get(group);
    if (channels === undefined) return;
    channels.delete(connection);
    if (channels.size === 0) this.groupChannelTable.delete(group);
  }

  doChannelCloseEvent(connection: Connection): void {
    for (const group of [...this.groupChannelTable.keys()]) this.unregisterProducer(group, connection);
  }

  scanNotActiveChannel(nowMs = Date.now()): void {
    for (const [group, channels] of [...this.groupChannelTable]) {
      for (const [connection, info] of [...channels]) {
        if (nowMs - info.lastUpdateTimestampMs > this.channelExpiredTimeoutMs) {
          channels.delete(connection);
          connection.close();
        }
      }
      if (channels.size === 0) this.groupChannelTable.delete(group);
    }
  }

  /** One live connection of the group (for CHECK_TRANSACTION_STATE), or undefined. */
  getAvailableChannel(group: string): Connection | undefined {
    const channels = this.groupChannelTable.get(group);
    if (channels === undefined) return undefined;
    const live = [...channels.keys()].filter((connection) => !connection.isClosed);
    return live[Math.floor(Math.random() * live.length)];
  }
}

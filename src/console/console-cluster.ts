// The cluster page: every broker the NameServer knows (GET_BROKER_CLUSTER_INFO), each with its
// GET_BROKER_RUNTIME_INFO table (version, TPS, disk) — this broker's from its own processor, the
// others' over the remoting protocol. A broker that does not answer is listed with its error.
import { RequestCode } from '../codec/request-code';
import type { BrokerContext } from '../broker/broker-context';
import { nameServerAddresses } from '../broker/broker-outer-api';
import { type Account, bodyToPlain, type ConsoleCalls } from './console-calls';

/** More brokers than this in one cluster info are not queried (the page would not show them usefully). */
const MAX_BROKERS = 64;
const RUNTIME_KEYS = [
  'brokerVersionDesc',
  'putTps',
  'getTransferedTps',
  'msgPutTotalTodayNow',
  'msgGetTotalTodayNow',
  'commitLogDiskRatio',
  'commitLogDirCapacity',
  'bootTimestamp',
  'runtime',
] as const;

export interface BrokerRow {
  cluster: string;
  brokerName: string;
  brokerId: number;
  role: string;
  address: string;
  self: boolean;
  runtime?: Record<string, string>;
  error?: string;
}

interface BrokerData {
  cluster?: string;
  brokerName?: string;
  brokerAddrs?: { key: unknown; value: unknown }[] | Record<string, string>;
}

function addressesOf(data: BrokerData): [number, string][] {
  const addrs = data.brokerAddrs;
  if (Array.isArray(addrs)) return addrs.map(({ key, value }) => [Number(key), String(value)]);
  return Object.entries(addrs ?? {}).map(([key, value]) => [Number(key), String(value)]);
}

export class ClusterView {
  constructor(
    private readonly broker: BrokerContext & { readonly listenPort: number },
    private readonly calls: ConsoleCalls,
  ) {}

  get selfAddress(): string {
    return `${this.broker.brokerConfig.brokerIP1}:${this.broker.listenPort}`;
  }

  /** `account`: the console user's, to sign the calls to other brokers when ACL is on. */
  async brokers(account?: Account): Promise<{ nameServers: string[]; brokers: BrokerRow[]; error?: string }> {
    const nameServers = nameServerAddresses(this.broker.brokerConfig.namesrvAddr);
    let rows: BrokerRow[];
    let error: string | undefined;
    try {
      rows = await this.fromNameServer();
    } catch (failure) {
      error = `NameServer: ${(failure as Error).message}`;
      rows = [];
    }
    if (!rows.some((row) => row.self)) rows.unshift(this.selfRow());
    await Promise.all(rows.map((row) => this.addRuntime(row, account)));
    return { nameServers, brokers: rows, ...(error === undefined ? {} : { error }) };
  }

  private selfRow(): BrokerRow {
    const config = this.broker.brokerConfig;
    return {
      cluster: config.brokerClusterName,
      brokerName: config.brokerName,
      brokerId: config.brokerId,
      role: '',
      address: this.selfAddress,
      self: true,
    };
  }

  private async fromNameServer(): Promise<BrokerRow[]> {
    const info = bodyToPlain(await this.calls.nameServer(RequestCode.GET_BROKER_CLUSTER_INFO)) as {
      brokerAddrTable?: Record<string, BrokerData>;
    } | null;
    const rows: BrokerRow[] = [];
    for (const data of Object.values(info?.brokerAddrTable ?? {})) {
      for (const [brokerId, address] of addressesOf(data)) {
        if (rows.length >= MAX_BROKERS) break;
        rows.push({
          cluster: data.cluster ?? '',
          brokerName: data.brokerName ?? '',
          brokerId,
          role: '',
          address,
          self: address === this.selfAddress,
        });
      }
    }
    return rows.sort((a, b) => a.brokerName.localeCompare(b.brokerName) || a.brokerId - b.brokerId);
  }

  /** The brokerRole line of the broker's GET_BROKER_CONFIG, or MASTER / SLAVE by its id when it does not answer. */
  private async remoteRole(row: BrokerRow, account: Account | undefined): Promise<string> {
    try {
      const config =
        (await this.calls.remote(row.address, RequestCode.GET_BROKER_CONFIG, {}, account)).body?.toString('utf8') ?? '';
      const role = /^brokerRole=(\w+)\s*$/m.exec(config)?.[1];
      if (role !== undefined) return role;
    } catch {
      // the runtime call below reports the failure
    }
    return row.brokerId === 0 ? 'MASTER' : 'SLAVE';
  }

  private async addRuntime(row: BrokerRow, account: Account | undefined): Promise<void> {
    row.role = row.self ? this.broker.messageStoreConfig.brokerRole : await this.remoteRole(row, account);
    try {
      const response = row.self
        ? await this.calls.local(RequestCode.GET_BROKER_RUNTIME_INFO)
        : await this.calls.remote(row.address, RequestCode.GET_BROKER_RUNTIME_INFO, {}, account);
      const table = ((bodyToPlain(response) as { table?: Record<string, string> } | null)?.table ?? {}) as Record<
        string,
        string
      >;
      row.runtime = Object.fromEntries(RUNTIME_KEYS.map((key) => [key, table[key] ?? '']));
    } catch (failure) {
      row.error = (failure as Error).message;
    }
  }
}

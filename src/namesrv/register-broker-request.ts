// What RouteInfoManager.registerBroker takes and gives, and what it remembers per live broker.
import type { DataVersion } from '../codec/body/data-version';
import type { TopicConfigSerializeWrapper } from '../codec/body/register-broker-body';

/** The connection a broker registered through; closed when the broker expires. */
export interface BrokerChannel {
  close(): void;
}

export interface BrokerLiveInfo {
  lastUpdateTimestampMs: number;
  dataVersion: DataVersion;
  channel: BrokerChannel | undefined;
  haServerAddr: string;
}

export interface RegisterBrokerRequest {
  clusterName: string;
  brokerAddr: string;
  brokerName: string;
  brokerId: number;
  haServerAddr: string;
  topicConfigWrapper: TopicConfigSerializeWrapper;
  /** undefined = leave as is (old brokers); [] = the broker has none. */
  filterServerList: string[] | undefined;
  channel: BrokerChannel | undefined;
}

export interface RegisterBrokerResult {
  haServerAddr?: string;
  masterAddr?: string;
}

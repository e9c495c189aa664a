// BrokerOuterAPI: the broker's calls to NameServers. REGISTER_BROKER (103) goes to every
// configured NameServer (`namesrvAddr`, ';'-separated) with the whole topic table:
//
//   header RegisterBrokerRequestHeader: brokerAddr, brokerId, brokerName, clusterName,
//          haServerAddr, compressed=false, bodyCrc32 = CRC32(body) & 0x7FFFFFFF
//   body   RegisterBrokerBody: {"filterServerList":[],"topicConfigSerializeWrapper":
//          {"dataVersion":{…},"topicConfigTable":{…}}}
//   answer RegisterBrokerResponseHeader: a slave's master haServerAddr and masterAddr
//
// A slave also reads its master's tables (SlaveSynchronize): GET_ALL_TOPIC_CONFIG (21) on the
// master's VIP port (listenPort - 2, Java MixAll.brokerVIPChannel), GET_ALL_CONSUMER_OFFSET (43),
// GET_ALL_DELAY_OFFSET (45) and GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201) on its main port, 3 s each.
import zlib from 'node:zlib';
import { encodeRegisterBrokerBody, type TopicConfigSerializeWrapper } from '../codec/body/register-broker-body';
import { encodeRegisterBrokerRequestHeader } from '../codec/headers/namesrv/register-broker-request-header';
import {
  decodeRegisterBrokerResponseHeader,
  type RegisterBrokerResponseHeader,
} from '../codec/headers/namesrv/register-broker-response-header';
import { encodeUnRegisterBrokerRequestHeader } from '../codec/headers/namesrv/unregister-broker-request-header';
import { createRequestCommand } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import { newOpaque } from '../remoting/connection';
import { RemotingClient } from '../remoting/remoting-client';

export interface BrokerIdentity {
  clusterName: string;
  brokerName: string;
  brokerAddr: string;
  brokerId: number;
  haServerAddr: string;
}

/** BrokerOuterAPI's invokeSync timeout for the slave's reads. */
const MASTER_READ_TIMEOUT_MS = 3000;

/** Java MixAll.brokerVIPChannel(true, addr): the same host, port - 2. */
export function vipChannelAddress(brokerAddr: string): string {
  const separator = brokerAddr.lastIndexOf(':');
  return `${brokerAddr.slice(0, separator)}:${Number(brokerAddr.slice(separator + 1)) - 2}`;
}

export function nameServerAddresses(namesrvAddr: string): string[] {
  return namesrvAddr
    .split(';')
    .map((address) => address.trim())
    .filter((address) => address !== '');
}

export class BrokerOuterAPI {
  private readonly client = new RemotingClient();

  /**
   * Registers with every NameServer; resolves with the addresses that failed and why, and the
   * answers of the others in the order they came (Java uses the first).
   */
  async registerBrokerAll(
    namesrvAddr: string,
    identity: BrokerIdentity,
    topicConfigWrapper: TopicConfigSerializeWrapper,
    timeoutMs: number,
  ): Promise<{ failures: string[]; results: RegisterBrokerResponseHeader[] }> {
    const body = encodeRegisterBrokerBody(
      { filterServerList: [], topicConfigSerializeWrapper: topicConfigWrapper },
      false,
    );
    const extFields = encodeRegisterBrokerRequestHeader({
      ...identity,
      compressed: false,
      bodyCrc32: zlib.crc32(body) & 0x7fffffff,
    });
    const results: RegisterBrokerResponseHeader[] = [];
    const failures = await Promise.all(
      nameServerAddresses(namesrvAddr).map(async (address) => {
        try {
          const response = await this.client.invoke(
            address,
            createRequestCommand(RequestCode.REGISTER_BROKER, newOpaque(), { extFields, body }),
            timeoutMs,
          );
          if (response.code !== ResponseCode.SUCCESS)
            return `${address}: code ${response.code} ${response.remark ?? ''}`;
          results.push(decodeRegisterBrokerResponseHeader(response.extFields));
          return undefined;
        } catch (error) {
          return `${address}: ${(error as Error).message}`;
        }
      }),
    );
    return { failures: failures.filter((failure): failure is string => failure !== undefined), results };
  }

  /** One of the slave's reads of its master's tables: the body as text, or throws with the code and remark. */
  async getFromMaster(code: number, masterAddr: string, viaVipChannel: boolean): Promise<string> {
    const address = viaVipChannel ? vipChannelAddress(masterAddr) : masterAddr;
    const response = await this.client.invoke(
      address,
      createRequestCommand(code, newOpaque(), {}),
      MASTER_READ_TIMEOUT_MS,
    );
    if (response.code !== ResponseCode.SUCCESS) throw new Error(`code ${response.code} ${response.remark ?? ''}`);
    return response.body?.toString('utf8') ?? '';
  }

  /** UNREGISTER_BROKER (104) to every NameServer, at shutdown. */
  async unregisterBrokerAll(namesrvAddr: string, identity: BrokerIdentity, timeoutMs: number): Promise<void> {
    const { brokerName, brokerAddr, clusterName, brokerId } = identity;
    const extFields = encodeUnRegisterBrokerRequestHeader({ brokerName, brokerAddr, clusterName, brokerId });
    await Promise.all(
      nameServerAddresses(namesrvAddr).map((address) =>
        this.client
          .invoke(address, createRequestCommand(RequestCode.UNREGISTER_BROKER, newOpaque(), { extFields }), timeoutMs)
          .catch(() => undefined),
      ),
    );
  }

  shutdown(): void {
    this.client.shutdown();
  }
}

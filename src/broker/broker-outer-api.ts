// BrokerOuterAPI: the broker's calls to NameServers. REGISTER_BROKER (103) goes to every
// configured NameServer (`namesrvAddr`, ';'-separated) with the whole topic table:
//
//   header RegisterBrokerRequestHeader: brokerAddr, brokerId, brokerName, clusterName,
//          haServerAddr, compressed=false, bodyCrc32 = CRC32(body) & 0x7FFFFFFF
//   body   RegisterBrokerBody: {"filterServerList":[],"topicConfigSerializeWrapper":
//          {"dataVersion":{…},"topicConfigTable":{…}}}
import zlib from 'node:zlib';
import { encodeRegisterBrokerBody, TopicConfigSerializeWrapper } from '../codec/body/register-broker-body';
import { encodeRegisterBrokerRequestHeader } from '../codec/headers/namesrv/register-broker-request-header';
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

export function nameServerAddresses(namesrvAddr: string): string[] {
  return namesrvAddr.split(';').map((address) => address.trim()).filter((address) => address !== '');
}

export class BrokerOuterAPI {
  private readonly client = new RemotingClient();

  /** Registers with every NameServer; resolves with the addresses that failed and why. */
  async registerBrokerAll(namesrvAddr: string, identity: BrokerIdentity, topicConfigWrapper: TopicConfigSerializeWrapper, timeoutMs: number): Promise<string[]> {
    const body = encodeRegisterBrokerBody({ filterServerList: [], topicConfigSerializeWrapper: topicConfigWrapper }, false);
    const extFields = encodeRegisterBrokerRequestHeader({ ...identity, compressed: false, bodyCrc32: zlib.crc32(body) & 0x7fffffff });
    const failures = await Promise.all(
      nameServerAddresses(namesrvAddr).map(async (address) => {
        try {
          const response = await this.client.invoke(address, createRequestCommand(RequestCode.REGISTER_BROKER, newOpaque(), { extFields, body }), timeoutMs);
          return response.code === ResponseCode.SUCCESS ? undefined : `${address}: code ${response.code} ${response.remark ?? ''}`;
        } catch (error) {
          return `${address}: ${(error as Error).message}`;
        }
      }),
    );
    return failures.filter((failure): failure is string => failure !== undefined);
  }

  /** UNREGISTER_BROKER (104) to every NameServer, at shutdown. */
  async unregisterBrokerAll(namesrvAddr: string, identity: BrokerIdentity, timeoutMs: number): Promise<void> {
    const { brokerName, brokerAddr, clusterName, brokerId } = identity;
    const extFields = encodeUnRegisterBrokerRequestHeader({ brokerName, brokerAddr, clusterName, brokerId });
    await Promise.all(
      nameServerAddresses(namesrvAddr).map((address) =>
        this.client.invoke(address, createRequestCommand(RequestCode.UNREGISTER_BROKER, newOpaque(), { extFields }), timeoutMs).catch(() => undefined),
      ),
    );
  }

  shutdown(): void {
    this.client.shutdown();
  }
}

// GetConsumerRunningInfoRequestHeader: GET_CONSUMER_RUNNING_INFO (307), mqadmin → broker → client.
//
//   consumerGroup String NN, clientId String NN, jstackEnable boolean
//
// The broker only reads the group and client id; the extFields go on to the client unchanged.
import type { ExtFields } from '../remoting-command';
import { HeaderReader } from './header-reader';

export interface GetConsumerRunningInfoRequestHeader {
  consumerGroup: string;
  clientId: string;
  jstackEnable: boolean;
}

export function decodeGetConsumerRunningInfoRequestHeader(
  extFields: ExtFields | undefined,
): GetConsumerRunningInfoRequestHeader {
  const reader = new HeaderReader(extFields, 'GetConsumerRunningInfoRequestHeader');
  return {
    consumerGroup: reader.string('consumerGroup'),
    clientId: reader.string('clientId'),
    jstackEnable: reader.bool('jstackEnable'),
  };
}

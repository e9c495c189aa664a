// PullMessageRequestHeader (PULL_MESSAGE 11).
//
//   consumerGroup String NN, topic String NN, queueId Integer NN, queueOffset Long NN,
//   maxMsgNums Integer NN, sysFlag Integer NN, commitOffset Long NN,
//   suspendTimeoutMillis Long NN, subscription String, subVersion Long NN, expressionType String
//
// sysFlag bits (PullSysFlag): 0x1 COMMIT_OFFSET, 0x2 SUSPEND, 0x4 SUBSCRIPTION, 0x8 CLASS_FILTER,
// 0x10 LITE_PULL.
import type { ExtFields } from '../remoting-command';
import { HeaderReader } from './header-reader';

export const PullSysFlag = {
  COMMIT_OFFSET: 0x1,
  SUSPEND: 0x2,
  SUBSCRIPTION: 0x4,
  CLASS_FILTER: 0x8,
  LITE_PULL: 0x10,
} as const;

export interface PullMessageRequestHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
  queueOffset: number;
  maxMsgNums: number;
  sysFlag: number;
  commitOffset: number;
  suspendTimeoutMillis: number;
  subscription: string | undefined;
  subVersion: number;
  expressionType: string | undefined;
}

export function decodePullMessageRequestHeader(extFields: ExtFields | undefined): PullMessageRequestHeader {
  const reader = new HeaderReader(extFields, 'PullMessageRequestHeader');
  return {
    consumerGroup: reader.string('consumerGroup'),
    topic: reader.string('topic'),
    queueId: reader.int('queueId'),
    queueOffset: reader.long('queueOffset'),
    maxMsgNums: reader.int('maxMsgNums'),
    sysFlag: reader.int('sysFlag'),
    commitOffset: reader.long('commitOffset'),
    suspendTimeoutMillis: reader.long('suspendTimeoutMillis'),
    subscription: reader.optionalString('subscription'),
    subVersion: reader.long('subVersion'),
    expressionType: reader.optionalString('expressionType'),
  };
}

/** PullMessageResponseHeader: all four fields are required by the client on 0/19/20/21. */
export interface PullMessageResponseHeader {
  suggestWhichBrokerId: number;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
}

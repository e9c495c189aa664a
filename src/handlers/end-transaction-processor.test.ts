import { expect } from 'chai';
import type { BrokerContext } from '../broker/broker-context';
import { HALF_TOPIC } from '../broker/transaction/transactional-message-util';
import type { HostAddress } from '../codec/message/host-address';
import { encodeMessageRecord, type MessageRecord } from '../codec/message/message-record';
import { createRequestCommand, NOT_SET_RESPONSE_REMARK, type RemotingCommand } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import type { Connection } from '../remoting/connection';
import type { MessageToStore } from '../store/dispatch-request';
import { PutMessageStatus } from '../store/put-message-status';
import { EndTransactionProcessor } from './end-transaction-processor';

const HOST: HostAddress = { address: Buffer.from([127, 0, 0, 1]), port: 10911 };
const HALF_PHYSICAL_OFFSET = 41364;
const HALF_QUEUE_OFFSET = 4;

const HALF: MessageRecord = {
  queueId: 0,
  flag: 0,
  queueOffset: HALF_QUEUE_OFFSET,
  physicalOffset: HALF_PHYSICAL_OFFSET,
  sysFlag: 0,
  bornTimestampMs: 1_700_000_000_000,
  bornHost: HOST,
  storeTimestampMs: 1_700_000_000_001,
  storeHost: HOST,
  reconsumeTimes: 0,
  preparedTransactionOffset: 0,
  body: Buffer.from('rollback'),
  topic: HALF_TOPIC,
  propertiesString:
    'TRAN_MSG\u0001true\u0002PGROUP\u0001pg\u0002UNIQ_KEY\u0001C0A8000100002A9F0000000000000001\u0002' +
    'REAL_TOPIC\u0001T\u0002REAL_QID\u00011\u0002',
};

function fakeBroker(stored: MessageToStore[]): BrokerContext {
  return {
    storeHost: HOST,
    messageStoreConfig: { brokerRole: 'ASYNC_MASTER' },
    scheduleMessageService: { maxDelayLevel: 18 },
    messageStore: {
      lookMessageByOffset: (offset: number) => (offset === HALF_PHYSICAL_OFFSET ? encodeMessageRecord(HALF) : null),
      putMessage: async (message: MessageToStore) => {
        stored.push(message);
        return {
          status: PutMessageStatus.PUT_OK,
          appendResult: { queueOffset: 0, physicalOffset: 90000 + stored.length, msgId: 'X' },
        };
      },
    },
  } as unknown as BrokerContext;
}

/** END_TRANSACTION as rocketmq-client-go v2 sends it: every field a string, no oneway flag. */
function goEndTransaction(commitOrRollback: string): RemotingCommand {
  const extFields = {
    producerGroup: 'pg',
    tranStateTableOffset: String(HALF_QUEUE_OFFSET),
    commitLogOffset: String(HALF_PHYSICAL_OFFSET),
    commitOrRollback,
    fromTransactionCheck: 'false',
    msgId: 'C0A8000100002A9F0000000000000001',
    transactionId: '',
    bname: 'broker-a',
  };
  return createRequestCommand(RequestCode.END_TRANSACTION, 65, { extFields });
}

describe('EndTransactionProcessor responses', () => {
  it("answers a rollback SUCCESS with the remark Java 4.7.1 leaves on checkPrepareMessage's response", async () => {
    const stored: MessageToStore[] = [];
    const processor = new EndTransactionProcessor(fakeBroker(stored));
    const response = (await processor.processRequest(
      { remoteAddress: '127.0.0.1:1' } as Connection,
      goEndTransaction('12'),
    ))!;
    expect([response.code, response.remark]).to.deep.equal([ResponseCode.SUCCESS, NOT_SET_RESPONSE_REMARK]);
    expect(stored.map((m) => m.topic)).to.deep.equal(['RMQ_SYS_TRANS_OP_HALF_TOPIC']);
  });

  it('answers a commit SUCCESS without a remark (Java sendFinalMessage sets it null)', async () => {
    const stored: MessageToStore[] = [];
    const processor = new EndTransactionProcessor(fakeBroker(stored));
    const response = (await processor.processRequest(
      { remoteAddress: '127.0.0.1:1' } as Connection,
      goEndTransaction('8'),
    ))!;
    expect([response.code, response.remark]).to.deep.equal([ResponseCode.SUCCESS, undefined]);
    expect(stored.map((m) => m.topic)).to.deep.equal(['T', 'RMQ_SYS_TRANS_OP_HALF_TOPIC']);
  });
});

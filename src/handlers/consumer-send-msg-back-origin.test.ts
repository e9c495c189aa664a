import { expect } from 'chai';
import type { BrokerContext } from '../broker/broker-context';
import type { HostAddress } from '../codec/message/host-address';
import { createMessageId } from '../codec/message/message-id';
import { decodeMessageProperties } from '../codec/message/message-properties';
import { encodeMessageRecord, type MessageRecord } from '../codec/message/message-record';
import { createRequestCommand, CURRENT_VERSION } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import type { MessageToStore } from '../store/dispatch-request';
import { PutMessageStatus } from '../store/put-message-status';
import { consumerSendMsgBack } from './consumer-send-msg-back';

const STORE_HOST: HostAddress = { address: Buffer.from([127, 0, 0, 1]), port: 29398 };
const PHYSICAL_OFFSET = 53165;
const UNIQ_KEY = 'C000020279A6000000001A5FC1380042';

function storedRecord(propertiesString: string): MessageRecord {
  return {
    queueId: 1,
    flag: 0,
    queueOffset: 0,
    physicalOffset: PHYSICAL_OFFSET,
    sysFlag: 0,
    bornTimestampMs: 1_700_000_000_000,
    bornHost: { address: Buffer.from([192, 0, 2, 2]), port: 40000 },
    storeTimestampMs: 1_700_000_000_001,
    storeHost: STORE_HOST,
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    body: Buffer.from('fails'),
    topic: 'T',
    propertiesString,
  };
}

function fakeBroker(record: MessageRecord, stored: MessageToStore[]): BrokerContext {
  return {
    storeHost: STORE_HOST,
    brokerConfig: { brokerPermission: 6, brokerIP1: '127.0.0.1' },
    scheduleMessageService: { maxDelayLevel: 18 },
    subscriptionGroupManager: { findSubscriptionGroupConfig: () => ({ retryQueueNums: 1, retryMaxTimes: 16 }) },
    topicConfigManager: { topicConfigTable: new Map(), createTopicIfAbsent: () => ({ perm: 6 }) },
    registerBrokerAll: () => undefined,
    messageStore: {
      lookMessageByOffset: (offset: number) => (offset === PHYSICAL_OFFSET ? encodeMessageRecord(record) : null),
      putMessage: async (message: MessageToStore) => {
        stored.push(message);
        return { status: PutMessageStatus.PUT_OK };
      },
    },
  } as unknown as BrokerContext;
}

/** CONSUMER_SEND_MSG_BACK as rocketmq-client-go v2 (and the Java client) sends it: originMsgId = UNIQ_KEY. */
function sendBackRequest() {
  const extFields = {
    group: 'cg',
    offset: String(PHYSICAL_OFFSET),
    delayLevel: '0',
    originMsgId: UNIQ_KEY,
    originTopic: 'T',
    unitMode: 'false',
    maxReconsumeTimes: '1',
    bname: 'broker-a',
  };
  return { ...createRequestCommand(RequestCode.CONSUMER_SEND_MSG_BACK, 3, { extFields }), version: CURRENT_VERSION };
}

async function originOfRetry(propertiesString: string): Promise<string | undefined> {
  const stored: MessageToStore[] = [];
  const response = await consumerSendMsgBack(fakeBroker(storedRecord(propertiesString), stored), sendBackRequest());
  expect(response.code, response.remark).to.equal(ResponseCode.SUCCESS);
  expect(stored).to.have.length(1);
  return decodeMessageProperties(stored[0].propertiesString).get('ORIGIN_MESSAGE_ID');
}

describe('consumerSendMsgBack ORIGIN_MESSAGE_ID', () => {
  it("is the stored message's offsetMsgId, not the originMsgId of the header (Java 4.7.1 MessageExt.getMsgId)", async () => {
    const origin = await originOfRetry(`UNIQ_KEY\u0001${UNIQ_KEY}\u0002CLUSTER\u0001DefaultCluster\u0002`);
    expect(origin).to.equal(createMessageId(STORE_HOST, PHYSICAL_OFFSET));
    expect(origin).to.equal('7F000001000072D6000000000000CFAD');
  });

  it('keeps the ORIGIN_MESSAGE_ID a message sent back before already carries', async () => {
    const earlier = '7F000001000072D60000000000000100';
    expect(await originOfRetry(`UNIQ_KEY\u0001${UNIQ_KEY}\u0002ORIGIN_MESSAGE_ID\u0001${earlier}\u0002`)).to.equal(
      earlier,
    );
  });

  it('replaces a blank ORIGIN_MESSAGE_ID, as Java UtilAll.isBlank does', async () => {
    const origin = await originOfRetry(`UNIQ_KEY\u0001${UNIQ_KEY}\u0002ORIGIN_MESSAGE_ID\u0001 \u0002`);
    expect(origin).to.equal(createMessageId(STORE_HOST, PHYSICAL_OFFSET));
  });
});

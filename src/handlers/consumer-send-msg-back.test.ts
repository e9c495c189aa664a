import { expect } from 'chai';
import type { BrokerContext } from '../broker/broker-context';
import { newSubscriptionGroupConfig } from '../broker/subscription-group-manager';
import { newTopicConfig } from '../broker/topic-config';
import { parseHostAddress } from '../codec/message/host-address';
import { decodeMessageProperties, MessageConst } from '../codec/message/message-properties';
import { encodeMessageRecord, type MessageRecord } from '../codec/message/message-record';
import { createRequestCommand, type RemotingCommand } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import type { MessageToStore } from '../store/dispatch-request';
import { PutMessageStatus } from '../store/put-message-status';
import { consumerSendMsgBack, V3_4_9 } from './consumer-send-msg-back';

const GROUP = 'G';

function host(text: string) {
  const parsed = parseHostAddress(text);
  if (parsed === null) throw new Error(`bad host ${text}`);
  return parsed;
}

/** A message already retried once: it sits in %RETRY%G with reconsumeTimes 1. */
function retriedRecord(): MessageRecord {
  return {
    queueId: 0,
    flag: 0,
    queueOffset: 0,
    physicalOffset: 0,
    sysFlag: 0,
    bornTimestampMs: 1600000000000,
    bornHost: host('127.0.0.1:50000'),
    storeTimestampMs: 1600000000100,
    storeHost: host('127.0.0.1:10911'),
    reconsumeTimes: 1,
    preparedTransactionOffset: 0,
    body: Buffer.from('b'),
    topic: `%RETRY%${GROUP}`,
    propertiesString: `RETRY_TOPIC\u0001T\u0002TAGS\u0001TagA\u0002`,
  };
}

function fakeBroker(puts: MessageToStore[]): BrokerContext {
  return {
    subscriptionGroupManager: { findSubscriptionGroupConfig: () => newSubscriptionGroupConfig(GROUP) },
    brokerConfig: { brokerPermission: 6 },
    messageStore: {
      lookMessageByOffset: () => encodeMessageRecord(retriedRecord()),
      putMessage: async (message: MessageToStore) => {
        puts.push(message);
        return { status: PutMessageStatus.PUT_OK };
      },
    },
    topicConfigManager: {
      topicConfigTable: new Map(),
      createTopicIfAbsent: (topic: string, queueNums: number, perm: number) => newTopicConfig(topic, queueNums, perm),
    },
    scheduleMessageService: { maxDelayLevel: 18 },
    storeHost: host('127.0.0.1:10911'),
    registerBrokerAll: () => undefined,
  } as unknown as BrokerContext;
}

/** CONSUMER_SEND_MSG_BACK as ali-ons writes it: delayLevel 0, the client's maxReconsumeTimes 1. */
function sendBack(version: number): RemotingCommand {
  const request = createRequestCommand(RequestCode.CONSUMER_SEND_MSG_BACK, 1, {
    extFields: {
      offset: '0',
      group: GROUP,
      delayLevel: '0',
      originMsgId: 'ID',
      originTopic: 'T',
      unitMode: 'false',
      maxReconsumeTimes: '1',
    },
  });
  return { ...request, version };
}

describe('consumerSendMsgBack maxReconsumeTimes by request version', () => {
  it('V3_4_9 is the MQVersion ordinal 121 (ali-ons sends exactly this version)', () => {
    expect(V3_4_9).to.equal(121);
  });

  it('honours the header maxReconsumeTimes from version 121 on: reconsumeTimes 1 of max 1 goes to %DLQ%', async () => {
    const puts: MessageToStore[] = [];
    const response = await consumerSendMsgBack(fakeBroker(puts), sendBack(121));
    expect(response.code).to.equal(ResponseCode.SUCCESS);
    expect(puts).to.have.length(1);
    expect(puts[0].topic).to.equal(`%DLQ%${GROUP}`);
    expect(puts[0].reconsumeTimes).to.equal(2);
  });

  it('uses the group retryMaxTimes (16) below version 121: the message is retried with delay level 4', async () => {
    const puts: MessageToStore[] = [];
    await consumerSendMsgBack(fakeBroker(puts), sendBack(120));
    expect(puts).to.have.length(1);
    const properties = decodeMessageProperties(puts[0].propertiesString);
    expect(properties.get(MessageConst.PROPERTY_REAL_TOPIC)).to.equal(`%RETRY%${GROUP}`);
    expect(properties.get(MessageConst.PROPERTY_DELAY_TIME_LEVEL)).to.equal('4');
  });
});

import { expect } from 'chai';
import type { BrokerContext } from '../broker/broker-context';
import type { TopicConfig } from '../broker/topic-config';
import { createRequestCommand, NOT_SET_RESPONSE_REMARK, type RemotingCommand } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import type { Connection } from '../remoting/connection';
import { AdminBrokerProcessor } from './admin-broker-processor';

/** The fields rocketmq-client-go v2's admin.CreateTopic sends (every value a string). */
const GO_CREATE_TOPIC = {
  topic: 'GoCreated',
  defaultTopic: 'defaultTopic',
  readQueueNums: '2',
  writeQueueNums: '2',
  perm: '6',
  topicFilterType: 'SINGLE_TAG',
  topicSysFlag: '0',
  order: 'false',
};

function fakeBroker(created: Partial<TopicConfig>[], registrations: number[]): BrokerContext {
  return {
    brokerConfig: { brokerClusterName: 'DefaultCluster' },
    topicConfigManager: {
      isSystemTopic: () => false,
      creationLimitProblem: () => undefined,
      updateTopicConfig: (config: Partial<TopicConfig>) => created.push(config),
    },
    registerBrokerAll: () => registrations.push(1),
  } as unknown as BrokerContext;
}

describe('AdminBrokerProcessor UPDATE_AND_CREATE_TOPIC', () => {
  it('answers SUCCESS with the remark Java 4.7.1 leaves on it, after creating and registering the topic', async () => {
    const created: Partial<TopicConfig>[] = [];
    const registrations: number[] = [];
    const processor = new AdminBrokerProcessor(fakeBroker(created, registrations));
    const request = createRequestCommand(RequestCode.UPDATE_AND_CREATE_TOPIC, 7, { extFields: GO_CREATE_TOPIC });
    const response = (await processor.processRequest({} as Connection, request)) as RemotingCommand;
    expect([response.code, response.remark, response.opaque]).to.deep.equal([
      ResponseCode.SUCCESS,
      NOT_SET_RESPONSE_REMARK,
      7,
    ]);
    expect(created).to.have.length(1);
    expect(created[0]).to.include({
      topicName: 'GoCreated',
      readQueueNums: 2,
      writeQueueNums: 2,
      perm: 6,
      order: false,
    });
    expect(registrations).to.have.length(1);
  });

  it('keeps its own remark for a refused topic', async () => {
    const processor = new AdminBrokerProcessor(fakeBroker([], []));
    const extFields = { ...GO_CREATE_TOPIC, topic: 'DefaultCluster' };
    const request = createRequestCommand(RequestCode.UPDATE_AND_CREATE_TOPIC, 8, { extFields });
    const response = (await processor.processRequest({} as Connection, request)) as RemotingCommand;
    expect([response.code, response.remark]).to.deep.equal([
      ResponseCode.SYSTEM_ERROR,
      'The topic[DefaultCluster] is conflict with system topic.',
    ]);
  });
});

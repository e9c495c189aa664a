import { expect } from 'chai';
import type { BrokerContext } from '../broker/broker-context';
import { createRequestCommand, type RemotingCommand } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import type { Connection } from '../remoting/connection';
import { ClientManageProcessor } from './client-manage-processor';

// Exposed by the Java 4.3.2 client in the matrix's retry_dlq scenario: its rebalance right after the
// heartbeat asked the NameServer for the %RETRY% route before our broker had registered the new topic,
// so the retry queue was taken 20 s later than with the Java broker.
describe('ClientManageProcessor heartbeat', () => {
  const group = 'cgRetry';

  function heartbeat(): RemotingCommand {
    const body = {
      clientID: '127.0.0.1@hb',
      consumerDataSet: [
        {
          consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
          consumeType: 'CONSUME_PASSIVELY',
          groupName: group,
          messageModel: 'CLUSTERING',
          subscriptionDataSet: [],
          unitMode: false,
        },
      ],
      producerDataSet: [],
    };
    return createRequestCommand(RequestCode.HEART_BEAT, 7, { body: Buffer.from(JSON.stringify(body)) });
  }

  /** A broker whose NameServer registration finishes only when the test says so; records what happened when. */
  function fakeBroker(events: string[]): { broker: BrokerContext; finishRegistration: () => void } {
    const topics = new Map<string, unknown>();
    let finish: () => void = () => undefined;
    const registration = new Promise<void>((resolve) => (finish = resolve));
    const broker = {
      brokerConfig: { notifyConsumerIdsChangedEnable: true },
      subscriptionGroupManager: {
        findSubscriptionGroupConfig: () => ({ notifyConsumerIdsChangedEnable: true, retryQueueNums: 1 }),
      },
      topicConfigManager: {
        selectTopicConfig: (topic: string) => topics.get(topic),
        createTopicIfAbsent: (topic: string) => topics.set(topic, { topicName: topic }).get(topic),
      },
      registerBrokerAll: () => {
        events.push('register started');
        return registration.then(() => void events.push('registered'));
      },
      consumerManager: {
        registerConsumer: (data: { groupName: string }) => void events.push(`consumer ${data.groupName} (notify)`),
      },
      producerManager: { registerProducer: () => undefined },
    } as unknown as BrokerContext;
    return { broker, finishRegistration: () => finish() };
  }

  // As Java's createTopicInSendMessageBackMethod does.
  it('registers a new %RETRY% topic with the NameServers before the group is notified', async () => {
    const events: string[] = [];
    const { broker, finishRegistration } = fakeBroker(events);
    const connection = { attributes: new Map() } as unknown as Connection;
    const answer = Promise.resolve(new ClientManageProcessor(broker).processRequest(connection, heartbeat()));
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).to.deep.equal(['register started']);
    finishRegistration();
    const response = await answer;
    expect(response.code).to.equal(ResponseCode.SUCCESS);
    expect(events).to.deep.equal(['register started', 'registered', `consumer ${group} (notify)`]);
  });

  it('does not wait for a registration when the %RETRY% topic exists', async () => {
    const events: string[] = [];
    const { broker } = fakeBroker(events);
    const connection = { attributes: new Map() } as unknown as Connection;
    const processor = new ClientManageProcessor(broker);
    broker.topicConfigManager.createTopicIfAbsent(`%RETRY%${group}`, 1, 6);
    const response = await processor.processRequest(connection, heartbeat());
    expect(response.code).to.equal(ResponseCode.SUCCESS);
    expect(events).to.deep.equal([`consumer ${group} (notify)`]);
  });
});

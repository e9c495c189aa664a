import { expect } from 'chai';
import { decodeMessageId } from '../../src/codec/message/message-id';
import { decodeMessageProperties } from '../../src/codec/message/message-properties';
import { decodeMessageRecord } from '../../src/codec/message/message-record';
import type { ExtFields, RemotingCommand } from '../../src/codec/remoting-command';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { Cluster, sendHeader } from './harness';
import {
  FakeProducer,
  maxOffset,
  props,
  pullRecords,
  restartWith,
  sleep,
  uniqKey,
  until,
} from './message-types-support';

const HALF = 'RMQ_SYS_TRANS_HALF_TOPIC';
const OP = 'RMQ_SYS_TRANS_OP_HALF_TOPIC';
const COMMIT = '8';
const ROLLBACK = '12';

let seed = 0;

function halfProperties(group: string, extra: Record<string, string> = {}): string {
  return props({ TRAN_MSG: 'true', PGROUP: group, UNIQ_KEY: uniqKey(++seed), TAGS: 'TagT', WAIT: 'true', ...extra });
}

async function sendHalf(
  producer: FakeProducer,
  topic: string,
  group: string,
  body: string,
  extra: Record<string, string> = {},
): Promise<RemotingCommand> {
  const header = { ...sendHeader(topic, 0, halfProperties(group, extra)), a: group, f: '4' };
  const response = await producer.call(RequestCode.SEND_MESSAGE_V2, header, Buffer.from(body));
  expect(response.code, response.remark).to.equal(ResponseCode.SUCCESS);
  return response;
}

/** END_TRANSACTION fields the 4.7.1 client sends for a send response. */
function endHeader(group: string, sent: RemotingCommand, state: string, extra: Partial<ExtFields> = {}): ExtFields {
  return {
    producerGroup: group,
    tranStateTableOffset: sent.extFields!.queueOffset,
    commitLogOffset: String(decodeMessageId(sent.extFields!.msgId)!.physicalOffset),
    commitOrRollback: state,
    fromTransactionCheck: 'false',
    msgId: 'UNIQ',
    ...extra,
  } as ExtFields;
}

describe('transactions over real sockets', function () {
  this.timeout(30000);
  const cluster = new Cluster();
  const producer = new FakeProducer('127.0.0.1@tx-producer', () => cluster.brokerAddr);
  const topic = `TX_${Date.now()}`;

  const overrides = { transactionCheckInterval: 300, transactionTimeOut: 600, transactionCheckMax: 5 };

  before(() => cluster.start(overrides));
  after(async () => {
    producer.close();
    await cluster.stop();
  });

  it('stores a half message invisibly and commits it into its real topic', async () => {
    const halfBefore = await maxOffset(cluster, HALF, 0);
    const sent = await sendHalf(producer, topic, 'pgCommit', 'commit me');
    expect(Number(sent.extFields!.queueOffset)).to.equal(halfBefore);
    expect(sent.extFields!.queueId).to.equal('0');
    expect(await maxOffset(cluster, HALF, 0)).to.equal(halfBefore + 1);
    expect(await pullRecords(cluster, 'gTx', topic, 0, 0)).to.have.length(0);
    const half = decodeMessageRecord(
      cluster.broker.messageStore.lookMessageByOffset(decodeMessageId(sent.extFields!.msgId)!.physicalOffset)!,
      0,
    ).record;
    expect(half.topic).to.equal(HALF);
    expect(half.sysFlag & 0xc).to.equal(0);
    expect(decodeMessageProperties(half.propertiesString).get('REAL_TOPIC')).to.equal(topic);

    const opBefore = await maxOffset(cluster, OP, 0);
    const response = await producer.call(RequestCode.END_TRANSACTION, endHeader('pgCommit', sent, COMMIT));
    expect(response.code, response.remark).to.equal(ResponseCode.SUCCESS);
    const [committed] = await pullRecords(cluster, 'gTx', topic, 0, 0);
    expect(committed.body.toString()).to.equal('commit me');
    expect(committed.sysFlag & 0xc).to.equal(0x8);
    expect(committed.preparedTransactionOffset).to.equal(half.physicalOffset);
    expect(decodeMessageProperties(committed.propertiesString).get('PGROUP')).to.equal('pgCommit');
    expect(await maxOffset(cluster, OP, 0)).to.equal(opBefore + 1);
    const opBuffer = cluster.broker.messageStore.getMessage('g', OP, 0, opBefore, 1).messageBuffers[0];
    const op = decodeMessageRecord(opBuffer, 0).record;
    expect(op.body.toString()).to.equal(sent.extFields!.queueOffset);
    expect(decodeMessageProperties(op.propertiesString).get('TAGS')).to.equal('d');
  });

  it('writes only the op record on rollback, and refuses mismatching END_TRANSACTIONs', async () => {
    const sent = await sendHalf(producer, topic, 'pgRollback', 'roll me back');
    const realBefore = await maxOffset(cluster, topic, 0);
    const wrongGroup = await producer.call(RequestCode.END_TRANSACTION, {
      ...endHeader('pgRollback', sent, COMMIT),
      producerGroup: 'other',
    });
    expect([wrongGroup.code, wrongGroup.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, 'The producer group wrong']);
    const wrongOffset = await producer.call(RequestCode.END_TRANSACTION, {
      ...endHeader('pgRollback', sent, COMMIT),
      tranStateTableOffset: '999',
    });
    expect(wrongOffset.remark).to.equal('The transaction state table offset wrong');
    const badState = await producer.call(RequestCode.END_TRANSACTION, endHeader('pgRollback', sent, '5'));
    expect(badState.code).to.equal(ResponseCode.SYSTEM_ERROR);
    const notHalf = await producer.call(RequestCode.END_TRANSACTION, {
      ...endHeader('pgRollback', sent, COMMIT),
      commitLogOffset: '1',
    });
    expect(notHalf.remark).to.equal('Find prepared transaction message failed');
    const opBefore = await maxOffset(cluster, OP, 0);
    const response = await producer.call(RequestCode.END_TRANSACTION, endHeader('pgRollback', sent, ROLLBACK));
    expect(response.code, response.remark).to.equal(ResponseCode.SUCCESS);
    expect(await maxOffset(cluster, OP, 0)).to.equal(opBefore + 1);
    expect(await maxOffset(cluster, topic, 0)).to.equal(realBefore);
  });

  it('asks a live producer of the group about an unresolved half message, then delivers its commit', async () => {
    const group = 'pgCheck';
    await producer.heartbeat(group);
    const checkTopic = `${topic}_CHECK`;
    await sendHalf(producer, checkTopic, group, 'checked');
    await until(
      'a CHECK_TRANSACTION_STATE',
      () => producer.ofCode(RequestCode.CHECK_TRANSACTION_STATE).length > 0,
      8000,
    );
    const check = producer.ofCode(RequestCode.CHECK_TRANSACTION_STATE)[0];
    const { record } = decodeMessageRecord(check.body!, 0);
    const properties = decodeMessageProperties(record.propertiesString);
    expect(record.topic).to.equal(checkTopic);
    expect(record.queueId).to.equal(0);
    expect(properties.get('TRANSACTION_CHECK_TIMES')).to.equal('1');
    expect(check.extFields!.msgId).to.equal(properties.get('UNIQ_KEY'));
    expect(check.extFields!.transactionId).to.equal(properties.get('UNIQ_KEY'));
    expect(decodeMessageId(check.extFields!.offsetMsgId)!.physicalOffset).to.equal(
      Number(check.extFields!.commitLogOffset),
    );
    expect(record.queueOffset).to.equal(Number(check.extFields!.tranStateTableOffset));
    const renewed = decodeMessageRecord(
      cluster.broker.messageStore.lookMessageByOffset(Number(check.extFields!.commitLogOffset))!,
      0,
    ).record;
    expect([renewed.topic, renewed.queueOffset]).to.deep.equal([HALF, record.queueOffset]);

    await producer.oneway(RequestCode.END_TRANSACTION, {
      producerGroup: group,
      tranStateTableOffset: check.extFields!.tranStateTableOffset,
      commitLogOffset: check.extFields!.commitLogOffset,
      commitOrRollback: COMMIT,
      fromTransactionCheck: 'true',
      msgId: check.extFields!.msgId,
      transactionId: check.extFields!.transactionId,
    });
    await until('the committed message', () => cluster.broker.messageStore.getMaxOffsetInQueue(checkTopic, 0) === 1);
    const checks = producer.ofCode(RequestCode.CHECK_TRANSACTION_STATE).length;
    await sleep(1200);
    expect(producer.ofCode(RequestCode.CHECK_TRANSACTION_STATE).length).to.equal(checks);
  });

  it('discards a half message after transactionCheckMax checks', async () => {
    const group = 'pgDiscard';
    const discarder = new FakeProducer('127.0.0.1@tx-discard', () => cluster.brokerAddr);
    try {
      await discarder.heartbeat(group);
      const discardedBefore = cluster.broker.messageStore.getMaxOffsetInQueue('TRANS_CHECK_MAX_TIME_TOPIC', 0);
      await sendHalf(discarder, `${topic}_DISCARD`, group, 'never answered');
      await until(
        'the discard',
        () => cluster.broker.messageStore.getMaxOffsetInQueue('TRANS_CHECK_MAX_TIME_TOPIC', 0) === discardedBefore + 1,
        10000,
      );
      // the fifth check may still be on its way to the producer when the discard is stored
      await until('the fifth check', () => discarder.ofCode(RequestCode.CHECK_TRANSACTION_STATE).length >= 5, 2000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(discarder.ofCode(RequestCode.CHECK_TRANSACTION_STATE)).to.have.length(5);
      const [discarded] = await pullRecords(cluster, 'gDiscard', 'TRANS_CHECK_MAX_TIME_TOPIC', 0, discardedBefore);
      expect(discarded, 'a readable discarded message').to.not.equal(undefined);
      expect(decodeMessageProperties(discarded.propertiesString).get('TRANSACTION_CHECK_TIMES')).to.equal('5');
      expect(discarded.body.toString()).to.equal('never answered');
    } finally {
      discarder.close();
    }
  });

  it('holds back the first check for CHECK_IMMUNITY_TIME_IN_SECONDS, re-appending the message meanwhile', async () => {
    const group = 'pgImmunity';
    const immune = new FakeProducer('127.0.0.1@tx-immunity', () => cluster.brokerAddr);
    try {
      await immune.heartbeat(group);
      const sentAt = Date.now();
      const sent = await sendHalf(immune, `${topic}_IMMUNE`, group, 'immune', { CHECK_IMMUNITY_TIME_IN_SECONDS: '1' });
      await until('the first check', () => immune.ofCode(RequestCode.CHECK_TRANSACTION_STATE).length > 0, 8000);
      expect(Date.now() - sentAt).to.be.at.least(1000);
      const check = immune.ofCode(RequestCode.CHECK_TRANSACTION_STATE)[0];
      const properties = decodeMessageProperties(decodeMessageRecord(check.body!, 0).record.propertiesString);
      expect(properties.get('TRAN_PREPARED_QUEUE_OFFSET')).to.equal(sent.extFields!.queueOffset);
      // Java counts every re-append during the immunity as a check (needDiscard runs first).
      expect(Number(properties.get('TRANSACTION_CHECK_TIMES'))).to.be.greaterThan(1);
    } finally {
      immune.close();
    }
  });

  it('keeps pending half messages and the check progress across a restart', async () => {
    const group = 'pgRestart';
    const restartTopic = `${topic}_RESTART`;
    await sendHalf(producer, restartTopic, group, 'survives');
    await restartWith(cluster, overrides);
    const late = new FakeProducer('127.0.0.1@tx-late', () => cluster.brokerAddr);
    try {
      late.answer = (request) => {
        if (request.code !== RequestCode.CHECK_TRANSACTION_STATE) return undefined;
        void late.oneway(RequestCode.END_TRANSACTION, {
          producerGroup: group,
          tranStateTableOffset: request.extFields!.tranStateTableOffset,
          commitLogOffset: request.extFields!.commitLogOffset,
          commitOrRollback: COMMIT,
          fromTransactionCheck: 'true',
          msgId: request.extFields!.msgId,
        });
        return undefined;
      };
      await late.heartbeat(group);
      await until(
        'the commit after the restart',
        () => cluster.broker.messageStore.getMaxOffsetInQueue(restartTopic, 0) === 1,
        8000,
      );
      const [delivered] = await pullRecords(cluster, 'gRestart', restartTopic, 0, 0);
      expect(delivered.body.toString()).to.equal('survives');
      const offset = cluster.broker.consumerOffsetManager.queryOffset('CID_RMQ_SYS_TRANS', HALF, 0);
      expect(offset).to.be.greaterThan(0);
    } finally {
      late.close();
    }
  });
});

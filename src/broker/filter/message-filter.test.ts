import { expect } from 'chai';
import { javaStringHashCode } from '../../codec/java-hash';
import { encodeMessageRecord, type MessageRecord } from '../../codec/message/message-record';
import { parseHostAddress } from '../../codec/message/host-address';
import { buildSubscriptionData } from '../subscription-data';
import { buildConsumerFilterData, ConsumerFilterManager } from './consumer-filter-manager';
import { buildMessageFilter, recordPropertiesString } from './message-filter';

const host = parseHostAddress('127.0.0.1:10911')!;

function record(topic: string, propertiesString: string, sysFlag = 0): Buffer {
  const fields: MessageRecord = {
    queueId: 0,
    flag: 0,
    queueOffset: 0,
    physicalOffset: 0,
    sysFlag,
    bornTimestampMs: 1,
    bornHost: host,
    storeTimestampMs: 2,
    storeHost: host,
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    body: Buffer.from('body'),
    topic,
    propertiesString,
  };
  return encodeMessageRecord(fields);
}

describe('buildMessageFilter', () => {
  const options = { filterSupportRetry: false, consumerFilterManager: new ConsumerFilterManager() };

  it('reads the properties string of a stored record', () => {
    expect(recordPropertiesString(record('T', 'TAGS\u0001x\u0002a\u00011\u0002'))).to.equal(
      'TAGS\u0001x\u0002a\u00011\u0002',
    );
    expect(recordPropertiesString(record('T', ''))).to.equal('');
  });

  it('filters TAG subscriptions by tag code only', () => {
    const filter = buildMessageFilter(buildSubscriptionData('T', 'A || B', 'TAG', 1), undefined, options)!;
    expect([filter(javaStringHashCode('A')), filter(javaStringHashCode('C'))]).to.deep.equal([true, false]);
    expect(filter.matchesRecord).to.equal(undefined);
    expect(buildMessageFilter(buildSubscriptionData('T', '*', 'TAG', 1), undefined, options)).to.equal(undefined);
  });

  it('filters SQL92 subscriptions by evaluating each record, TAGS included; unknown does not match', () => {
    const sub = buildSubscriptionData('T', "TAGS = 'x' AND a BETWEEN 1 AND 3", 'SQL92', 1);
    const data = buildConsumerFilterData('T', 'g', sub.subString, 'SQL92', 1);
    const filter = buildMessageFilter(sub, data, options)!;
    expect(filter(12345), 'every tags code passes the first stage').to.equal(true);
    expect(filter.matchesRecord!(record('T', 'TAGS\u0001x\u0002a\u00012\u0002'))).to.equal(true);
    expect(filter.matchesRecord!(record('T', 'TAGS\u0001y\u0002a\u00012\u0002'))).to.equal(false);
    expect(filter.matchesRecord!(record('T', 'TAGS\u0001x\u0002'))).to.equal(false);
    expect(filter.matchesRecord!(record('T', 'TAGS\u0001x\u0002a\u0001abc\u0002')), 'an evaluation error').to.equal(
      false,
    );
  });

  it('with filterSupportRetry, filters a retried message by the filter of its original topic', () => {
    const manager = new ConsumerFilterManager();
    manager.register('T', 'g', 'a = 1', 'SQL92', 1);
    const filter = buildMessageFilter(buildSubscriptionData('%RETRY%g', '*', 'TAG', 1), undefined, {
      filterSupportRetry: true,
      consumerFilterManager: manager,
    })!;
    expect(filter.matchesRecord!(record('%RETRY%g', 'RETRY_TOPIC\u0001T\u0002a\u00011\u0002'))).to.equal(true);
    expect(filter.matchesRecord!(record('%RETRY%g', 'RETRY_TOPIC\u0001T\u0002a\u00012\u0002'))).to.equal(false);
    expect(filter.matchesRecord!(record('%RETRY%g', 'RETRY_TOPIC\u0001Other\u0002'))).to.equal(true);
  });
});

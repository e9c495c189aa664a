import { expect } from 'chai';
import { buildSubscriptionData } from '../subscription-data';
import { buildConsumerFilterData, ConsumerFilterManager } from './consumer-filter-manager';

const sql = (topic: string, expression: string, subVersion: number) =>
  buildSubscriptionData(topic, expression, 'SQL92', subVersion);

describe('ConsumerFilterManager', () => {
  it('compiles SQL92 subscriptions from heartbeats and ignores TAG ones', () => {
    const filters = new ConsumerFilterManager();
    filters.registerGroup('g', [sql('T', 'a > 1', 10), buildSubscriptionData('U', 'TagA', 'TAG', 10)]);
    expect(filters.get('T', 'g')?.compiled.matches(new Map([['a', '2']]))).to.equal(true);
    expect(filters.get('U', 'g')).to.equal(undefined);
  });

  it('replaces an entry only with a newer version, and drops it when the newer one does not compile', () => {
    const filters = new ConsumerFilterManager();
    filters.register('T', 'g', 'a > 1', 'SQL92', 10);
    expect(filters.register('T', 'g', 'a > 5', 'SQL92', 9), 'older version').to.equal(false);
    expect(filters.get('T', 'g')?.expression).to.equal('a > 1');
    expect(filters.register('T', 'g', 'a > 5', 'SQL92', 11)).to.equal(true);
    expect(filters.get('T', 'g')?.expression).to.equal('a > 5');
    expect(filters.register('T', 'g', 'a >', 'SQL92', 12)).to.equal(false);
    expect(filters.get('T', 'g'), 'a broken newer expression removes the old one').to.equal(undefined);
  });

  it('marks dropped topics and empty groups dead, revives them, and cleans the long dead', () => {
    const filters = new ConsumerFilterManager(1000);
    filters.registerGroup('g', [sql('T', 'a = 1', 1), sql('U', 'b = 1', 1)], 0);
    filters.registerGroup('g', [sql('T', 'a = 1', 1)], 100);
    expect(filters.get('U', 'g')?.deadTimestampMs).to.equal(100);
    filters.unregisterGroup('g', 200);
    expect(filters.get('T', 'g')?.deadTimestampMs).to.equal(200);
    filters.registerGroup('g', [sql('T', 'a = 1', 1)], 300);
    expect(filters.get('T', 'g')?.deadTimestampMs, 'same version, revived').to.equal(0);
    filters.clean(1100);
    expect(filters.get('U', 'g'), 'dead for 1000 ms').to.equal(undefined);
    expect(filters.get('T', 'g')).to.not.equal(undefined);
  });

  it('builds nothing for a broken expression or an unknown type', () => {
    expect(buildConsumerFilterData('T', 'g', 'a = ', 'SQL92', 1)).to.equal(undefined);
    expect(buildConsumerFilterData('T', 'g', 'a = 1', 'FOO', 1)).to.equal(undefined);
    expect(
      buildConsumerFilterData('T', 'g', "a = 1 AND TAGS IN ('x')", 'SQL92', 1)?.compiled.properties,
    ).to.have.members(['a', 'TAGS']);
  });
});

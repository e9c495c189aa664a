import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseStatusTable } from './client-runtime-metrics';
import { parsePutMessageDistributeTime } from './exporter-runtime-metrics';
import {
  addSample,
  FamilyBuilder,
  fixedDouble,
  MAX_SAMPLES_PER_FAMILY,
  renderTextFormat,
} from '../../common/metric-family';

describe('broker metrics (pure parts)', () => {
  it('parses putMessageDistributeTime as the exporter does (brackets stripped)', () => {
    const text =
      '[<=0ms]:3 [0~10ms]:1 [10~50ms]:0 [50~100ms]:0 [100~200ms]:0 [200~500ms]:0 [500ms~1s]:0 ' +
      '[1~2s]:0 [2~3s]:0 [3~4s]:0 [4~5s]:0 [5~10s]:0 [10s~]:2 ';
    const buckets = parsePutMessageDistributeTime(text);
    expect(buckets.size).to.equal(13);
    expect([buckets.get('<=0ms'), buckets.get('0~10ms'), buckets.get('500ms~1s'), buckets.get('10s~')]).to.deep.equal([
      3, 1, 0, 2,
    ]);
    expect(parsePutMessageDistributeTime('garbage no:colon:x :1').size).to.equal(1);
  });

  it('reads ConsumeStatus per topic from a ConsumerRunningInfo body, and nothing from a bad one', () => {
    const body = Buffer.from(
      '{"mqTable":{{"brokerName":"b","queueId":0,"topic":"T"}:{}},"statusTable":{"T":{"consumeOKTPS":2.5,"pullRT":"x"}}}',
    );
    const table = parseStatusTable(body);
    expect([...table.keys()]).to.deep.equal(['T']);
    expect(table.get('T')).to.deep.equal({
      consumeFailedMsgs: 0,
      consumeFailedTPS: 0,
      consumeOKTPS: 2.5,
      consumeRT: 0,
      pullRT: 0,
      pullTPS: 0,
    });
    for (const bad of ['', '{', '[1]', '{"statusTable":[]}', '{"statusTable":{"T":5}}'])
      expect(parseStatusTable(Buffer.from(bad)).size, bad).to.equal(0);
    expect(parseStatusTable(undefined).size).to.equal(0);
  });

  it('keeps families unique, label counts exact and samples bounded', () => {
    const out = new FamilyBuilder();
    const family = out.family('x', 'help', ['a', 'b']);
    expect(() => out.family('x', 'again', [])).to.throw('metric family x defined twice');
    expect(() => addSample(family, ['only-one'], 1)).to.throw('x: 1 label values for 2 label names');
    for (let i = 0; i < MAX_SAMPLES_PER_FAMILY + 10; i++) addSample(family, [i, 'b'], i);
    expect(family.samples).to.have.length(MAX_SAMPLES_PER_FAMILY);
    addSample(out.family('y', 'help', []), [], Number.NaN);
    expect(out.families[1].samples[0].value).to.equal(0);
    expect([fixedDouble(1 / 3), fixedDouble(2.005e3), fixedDouble(0.1)]).to.deep.equal([0.33, 2005, 0.1]);
  });

  it('writes the text exposition format: HELP, TYPE, labels in order, values and escapes', () => {
    const out = new FamilyBuilder();
    const gauge = out.family('rocketmq_group_diff', 'GroupDiff', ['group', 'topic']);
    addSample(gauge, ['g"1', 'a\\b\nc'], 4);
    addSample(gauge, ['g2', ''], 0.25);
    addSample(out.family('x_total', 'line\nbreak \\ here', [], 'counter'), [], 7);
    out.family('empty', 'no samples', ['a']);
    expect(renderTextFormat(out.families).split('\n')).to.deep.equal([
      '# HELP rocketmq_group_diff GroupDiff',
      '# TYPE rocketmq_group_diff gauge',
      'rocketmq_group_diff{group="g\\"1",topic="a\\\\b\\nc"} 4',
      'rocketmq_group_diff{group="g2",topic=""} 0.25',
      '# HELP x_total line\\nbreak \\\\ here',
      '# TYPE x_total counter',
      'x_total 7',
      '# HELP empty no samples',
      '# TYPE empty gauge',
      '',
    ]);
    expect(renderTextFormat([])).to.equal('');
  });

  it('keeps prom-client and the metrics modules off the broker and NameServer boot paths', () => {
    const startup = path.join(__dirname, '..', '..', 'cli', 'broker-startup.js');
    const namesrv = path.join(__dirname, '..', '..', 'namesrv', 'namesrv-controller.js');
    const script =
      `require(${JSON.stringify(startup)}); require(${JSON.stringify(namesrv)}); const loaded = Object.keys(require.cache);` +
      'console.log(JSON.stringify(loaded.filter((f) => ' +
      `/prom-client|[\\\\/]metrics[\\\\/]|metric-family|metrics-http-server|namesrv-metrics/.test(f))))`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout)).to.deep.equal([]);
  });
});

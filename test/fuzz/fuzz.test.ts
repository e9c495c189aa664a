// The short form of the socket fuzzer in `npm test`: the regression fixtures replayed, then up to
// 20,000 hostile inputs (bounded by FUZZ_SECONDS, default 20 s, on a busy machine it sends fewer),
// then the checks of fuzz-runner.ts: both servers alive and answering, old messages still there, a
// fresh client sends and consumes, RSS back near its start, and the broker restarted on the same
// store serving old and new messages. The long form is `npm run fuzz -- --count 1000000`.
import { expect } from 'chai';
import { fixtureInputs, loadFixtures } from './fuzz-fixtures';
import { runFuzz } from './fuzz-runner';

describe('socket fuzzer, short form (hostile input against a live NameServer and broker)', function () {
  this.timeout(180_000);

  it('the regression fixtures are readable and hold inputs', () => {
    const fixtures = loadFixtures();
    expect(fixtures.length).to.be.at.least(2);
    for (const fixture of fixtures) {
      expect(fixture.description, fixture.file).to.be.a('string').and.not.empty;
      expect(fixtureInputs(fixture), fixture.file).to.not.be.empty;
    }
  });

  it('survives the fixtures and 20,000 random inputs: alive, answering, memory back, state intact across a restart', async () => {
    const seconds = Number(process.env.FUZZ_SECONDS ?? 20);
    const seed = Number(process.env.FUZZ_SEED ?? 14);
    const report = await runFuzz({ count: 20_000, seconds, seed, idleConnections: 200 });
    const summary =
      `seed ${seed}: ${report.sent} inputs in ${report.elapsedMs} ms; ` +
      `RSS ${JSON.stringify(report.rss)}; failures ${JSON.stringify(report.failures)}`;
    console.log(`      fuzz short form: ${summary}`);
    expect(report.failures, summary).to.deep.equal([]);
    expect(report.ok, summary).to.equal(true);
    expect(report.fixturesReplayed, summary).to.equal(loadFixtures().length);
    expect(report.sent, summary).to.be.at.least(Math.min(20_000, 100 * seconds));
    expect(report.probes, summary).to.be.at.least(2);
    expect(report.restart, summary).to.equal('ok');
    expect(Object.keys(report.byKind), summary).to.include.members([
      'random-bytes',
      'bad-length',
      'every-code',
      'mutated-send-v2',
      'mutated-pull',
      'unfinished',
    ]);
  });
});

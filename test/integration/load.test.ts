// The short form of `npm run load-test` (bench/load/): 300 heartbeating connections and 10
// consumer groups while 2 producers send at full speed for 5 s; the broker runs in its own process.
// Asserts the send path never stalls and every group consumes every acknowledged message.
import { expect } from 'chai';
import { DEFAULT_LOAD_OPTIONS, runLoad } from '../../bench/load/load-run';

describe('load (short form of npm run load-test)', function () {
  this.timeout(60_000);

  it('300 heartbeating connections + 10 groups reading: no stall, every acknowledged message consumed by every group', async () => {
    const report = await runLoad({
      ...DEFAULT_LOAD_OPTIONS,
      connections: 300,
      groups: 10,
      seconds: 5,
      baselineSeconds: 2,
      producers: 2,
      inflight: 4,
      heartbeatIntervalMs: 2000, // several periodic heartbeats per connection inside the 5 s
      drainTimeoutMs: 20_000,
    });
    expect(report.loaded.sent, 'sends acknowledged under load').to.be.greaterThan(100);
    expect(report.loaded.failed + report.baseline.failed).to.equal(0);
    expect(report.loaded.longestGapMs, 'the send path never stalls').to.be.below(5000);
    expect(report.clients.heartbeatsOk).to.be.at.least(300 * 2);
    expect([report.clients.heartbeatsFailed, report.clients.connectionsClosedByBroker]).to.deep.equal([0, 0]);
    expect([report.clients.groupsBehind, report.clients.offsetGaps, report.clients.pullErrors]).to.deep.equal([
      [],
      0,
      0,
    ]);
    expect(report.clients.consumedPerGroup).to.deep.equal(Array(10).fill(report.acknowledgedInLoadedPhase));
  });
});

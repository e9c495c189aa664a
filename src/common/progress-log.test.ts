import { expect } from 'chai';
import { ProgressLog } from './progress-log';

describe('ProgressLog', () => {
  it('prints one line per interval with done/total and percent, and a closing line', () => {
    let now = 1000;
    const lines: string[] = [];
    const progress = new ProgressLog('recovering commit log', 1000, 'bytes', (l) => lines.push(l), {
      intervalMs: 5000,
      nowMs: () => now,
    });
    for (let done = 1; done <= 1000; done++) {
      now += 20; // 20 s in all: lines at 5, 10, 15 s (checked every 256 ticks)
      progress.tick(done);
    }
    expect(lines.length).to.be.within(2, 4);
    expect(lines[0]).to.match(/^recovering commit log: \d+\/1000 bytes \(\d+\.\d%\), \d+\.\d s$/);
    progress.finish('end 1000');
    expect(lines[lines.length - 1]).to.equal('recovering commit log: done in 20.0 s, end 1000');
  });

  it('prints nothing for a short operation', () => {
    const lines: string[] = [];
    const progress = new ProgressLog('x', 10, 'units', (l) => lines.push(l));
    for (let i = 0; i < 10_000; i++) progress.tick(i);
    progress.finish('ok');
    expect(lines).to.deep.equal([]);
  });

  it('refuses a negative total', () => {
    expect(() => new ProgressLog('x', -1, 'units', () => undefined)).to.throw(/total/);
  });
});

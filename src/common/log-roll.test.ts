import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dayKey, moveToOtherDays, pruneOtherDays } from './log-roll';

describe('log-roll', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-roll-'));

  it('names days by the local date', () => {
    expect(dayKey(new Date(2026, 11, 31, 23, 59, 59).getTime())).to.equal('2026-12-31');
    expect(dayKey(new Date(2027, 0, 1, 0, 0, 0).getTime())).to.equal('2027-01-01');
  });

  it('moves the live file and its size-rolled parts, never over an earlier move', () => {
    const d = dir();
    for (const name of ['broker.log', 'broker1.log', 'broker2.log', 'store.log'])
      fs.writeFileSync(path.join(d, name), name);
    fs.mkdirSync(path.join(d, 'otherdays'));
    fs.writeFileSync(path.join(d, 'otherdays', 'broker.2026-01-01.log'), 'earlier');
    const moved = moveToOtherDays(d, 'broker', '2026-01-01', 20).map((f) => path.basename(f));
    expect(moved).to.deep.equal(['broker.2026-01-01_1.log', 'broker.2026-01-01.1.log', 'broker.2026-01-01.2.log']);
    expect(fs.readFileSync(path.join(d, 'otherdays', 'broker.2026-01-01.log'), 'utf8')).to.equal('earlier');
    expect(fs.readdirSync(d).sort()).to.deep.equal(['otherdays', 'store.log']);
  });

  it('deletes otherdays files older than maxDays and keeps the rest', () => {
    const d = dir();
    fs.mkdirSync(path.join(d, 'otherdays'));
    const nowMs = Date.now();
    for (const [name, ageDays] of [
      ['old.log', 8],
      ['recent.log', 1],
    ] as const) {
      const file = path.join(d, 'otherdays', name);
      fs.writeFileSync(file, name);
      const at = new Date(nowMs - ageDays * 24 * 3600 * 1000);
      fs.utimesSync(file, at, at);
    }
    expect(pruneOtherDays(d, 7, nowMs).map((f) => path.basename(f))).to.deep.equal(['old.log']);
    expect(fs.readdirSync(path.join(d, 'otherdays'))).to.deep.equal(['recent.log']);
    expect(pruneOtherDays(path.join(d, 'none'), 7, nowMs)).to.deep.equal([]);
  });
});

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeMemoryNow, holdMemoryTrim, memoryTrimHolders } from './free-memory';
import { nativeAddon } from './native-addon';

// In a process of its own (with --expose-gc): 200 MB of 2 KiB buffers from the C heap, one in 64
// kept so the heap cannot simply shrink from its top, the rest collected; then a trim.
const CHILD = `
const fs = require('node:fs');
const { freeMemoryNow } = require(${JSON.stringify(path.join(__dirname, 'free-memory.js'))});
const anonMiB = () => Number(/RssAnon:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
let all = [];
for (let i = 0; i < 100000; i++) all.push(Buffer.allocUnsafeSlow(2048).fill(1));
const kept = all.filter((_, i) => i % 64 === 0);
all = null;
gc(); gc();
setTimeout(() => {
  gc();
  const beforeMiB = anonMiB();
  const result = freeMemoryNow();
  process.stdout.write(JSON.stringify({ beforeMiB, afterMiB: anonMiB(), result, kept: kept.length }));
}, 300);
`;

describe('freeMemoryNow (the C heap trimmed: native/mapped-file.c trim)', () => {
  it('gives the pages freed in the middle of the C heap back to the kernel', function () {
    this.timeout(30_000);
    // from a file: run by -e, a third of the buffers still counted after the collections (seen here)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'free-memory-'));
    let out: { beforeMiB: number; afterMiB: number; result: { released: boolean } | null };
    try {
      fs.writeFileSync(path.join(dir, 'child.js'), CHILD);
      out = JSON.parse(
        execFileSync(process.execPath, ['--expose-gc', path.join(dir, 'child.js')], { encoding: 'utf8' }),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (nativeAddon() === null) {
      expect(out.result).to.equal(null); // no addon: nothing is done
      return;
    }
    expect(out.result?.released).to.equal(true);
    // about 195 MB were free in the arena; RssAnon must fall by most of it
    expect(out.beforeMiB - out.afterMiB).to.be.greaterThan(100);
  });

  it('answers at once when there is nothing to give back', () => {
    freeMemoryNow();
    const result = freeMemoryNow();
    if (nativeAddon() === null) expect(result).to.equal(null);
    else expect(result!.elapsedMs).to.be.lessThan(50);
  });
});

describe('holdMemoryTrim (one trim timer per process)', () => {
  it('counts its holders: the first starts the timer, the last release stops it, a second release does nothing', () => {
    const before = memoryTrimHolders();
    const releaseA = holdMemoryTrim();
    const releaseB = holdMemoryTrim();
    expect(memoryTrimHolders()).to.equal(before + 2);
    releaseA();
    releaseA();
    expect(memoryTrimHolders()).to.equal(before + 1);
    releaseB();
    expect(memoryTrimHolders()).to.equal(before);
  });
});

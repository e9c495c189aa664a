import { expect } from 'chai';
import { MAX_SPAN_BYTES } from './read-spans';
import { RECENT_SPAN_BYTES, RECENT_SPAN_MS, RecentSpans } from './recent-spans';

describe('recent spans (what cold reads read lately, for the other queues of the stretch)', () => {
  it('keeps at most RECENT_SPAN_BYTES for at most RECENT_SPAN_MS, and forgets a truncated stretch', () => {
    let nowMs = 0;
    const recent = new RecentSpans(() => nowMs);
    recent.keep(0, Buffer.alloc(1000, 1));
    expect(recent.find(100, 200)?.length).to.equal(100);
    expect(recent.find(900, 1100)).to.equal(undefined);
    nowMs += RECENT_SPAN_MS + 1;
    expect(recent.find(100, 200), 'too old').to.equal(undefined);
    recent.keep(0, Buffer.alloc(RECENT_SPAN_BYTES / 2));
    recent.keep(RECENT_SPAN_BYTES, Buffer.alloc(RECENT_SPAN_BYTES / 2));
    recent.keep(2 * RECENT_SPAN_BYTES, Buffer.alloc(RECENT_SPAN_BYTES / 2));
    expect(recent.find(0, 10), 'the oldest went past the byte bound').to.equal(undefined);
    expect(recent.find(2 * RECENT_SPAN_BYTES, 2 * RECENT_SPAN_BYTES + 10)).to.not.equal(undefined);
    recent.forgetFrom(2 * RECENT_SPAN_BYTES);
    expect(recent.find(2 * RECENT_SPAN_BYTES, 2 * RECENT_SPAN_BYTES + 10)).to.equal(undefined);
    expect(recent.find(RECENT_SPAN_BYTES, RECENT_SPAN_BYTES + 10)).to.not.equal(undefined);
  });

  it('finds a run in any kept span that holds it, as a scan of every span would (random spans, overlaps, expiry)', () => {
    let nowMs = 0;
    const recent = new RecentSpans(() => nowMs);
    const model: { startOffset: number; endOffset: number; atMs: number }[] = [];
    const byteAt = (offset: number) => (offset >>> 12) & 0xff; // the log's bytes: one value per 4 KiB
    let seed = 42;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    let held = 0;
    for (let step = 0; step < 2000; step++) {
      nowMs += random(5);
      if (random(3) === 0) {
        const startOffset = random(8 * MAX_SPAN_BYTES);
        const length = 1 + random(MAX_SPAN_BYTES);
        const bytes = Buffer.alloc(length);
        for (let at = startOffset; at < startOffset + length; at = (at | 4095) + 1) {
          bytes.fill(byteAt(at), at - startOffset, Math.min(length, (at | 4095) + 1 - startOffset));
        }
        recent.keep(startOffset, bytes);
        model.unshift({ startOffset, endOffset: startOffset + length, atMs: nowMs });
        held += length;
        for (let last = model.at(-1); last !== undefined; last = model.at(-1)) {
          if (held <= RECENT_SPAN_BYTES && last.atMs >= nowMs - RECENT_SPAN_MS) break;
          model.pop();
          held -= last.endOffset - last.startOffset;
        }
      }
      const start = random(9 * MAX_SPAN_BYTES);
      const end = start + 1 + random(2000);
      const expected = model.some(
        (span) => span.atMs >= nowMs - RECENT_SPAN_MS && span.startOffset <= start && end <= span.endOffset,
      );
      const found = recent.find(start, end);
      expect(found !== undefined, `step ${step}: [${start}, ${end})`).to.equal(expected);
      if (found !== undefined) {
        expect([found.length, found[0], found[found.length - 1]]).to.deep.equal([
          end - start,
          byteAt(start),
          byteAt(end - 1),
        ]);
      }
    }
  });
});

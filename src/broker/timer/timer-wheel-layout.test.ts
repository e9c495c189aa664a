import { expect } from 'chai';
import {
  checkLayoutInvariants,
  nextSlotBegin,
  placeTimer,
  slotHorizonMs,
  slotOfQueue,
  TIMER_LEVELS,
  TIMER_MAX_DELAY_MS,
} from './timer-wheel-layout';
import { TimerHeap } from './timer-heap';

const DAY_MS = 86_400_000;

describe('timer wheel layout', () => {
  const now = Date.UTC(2024, 4, 20, 12, 0, 30, 250);

  it('holds its invariants', () => {
    expect(checkLayoutInvariants()).to.deep.equal([]);
  });

  it('places by distance: seconds, minutes, hours, days; refuses beyond the top level', () => {
    expect(placeTimer(now + 500, now)!.level).to.equal(0);
    expect(placeTimer(now + 62_000, now)!.level).to.equal(0);
    expect(placeTimer(now + 64_000, now)!.level).to.equal(1);
    expect(placeTimer(now + 3_000_000, now)!.level).to.equal(1);
    expect(placeTimer(now + 5 * 3_600_000, now)!.level).to.equal(2);
    expect(placeTimer(now + 40 * DAY_MS, now)!.level).to.equal(3);
    expect(placeTimer(now + TIMER_MAX_DELAY_MS, now)!.level).to.equal(3);
    expect(placeTimer(now + 64 * DAY_MS, now)).to.equal(null);
  });

  it('gives each entry a slot whose horizon covers it only once its occurrence has begun', () => {
    for (const deltaMs of [300, 5_000, 61_000, 120_000, 7_200_000, 3 * DAY_MS, 59 * DAY_MS]) {
      const deliverMs = now + deltaMs;
      const { queueId, level } = placeTimer(deliverMs, now)!;
      const { slotMs, leadMs } = TIMER_LEVELS[level];
      const begins = Math.floor(deliverMs / slotMs) * slotMs - leadMs;
      if (begins > now) expect(slotHorizonMs(queueId, now), `delta ${deltaMs}`).to.be.at.most(deliverMs);
      expect(slotHorizonMs(queueId, Math.max(now, begins)), `delta ${deltaMs}`).to.be.above(deliverMs);
    }
  });

  it('rolls a begun slot entirely into the next finer level', () => {
    for (let level = 1; level < TIMER_LEVELS.length; level++) {
      const { slotMs, leadMs } = TIMER_LEVELS[level];
      const start = Math.ceil(now / slotMs) * slotMs;
      for (const deliverMs of [start, start + slotMs / 2, start + slotMs - 1]) {
        expect(placeTimer(deliverMs, start - leadMs)!.level, `level ${level}`).to.be.below(level);
      }
    }
  });

  it('announces the next slot start of each level', () => {
    const begin = nextSlotBegin(0, now);
    expect(begin.atMs).to.equal(Math.floor(now / 1000) * 1000 + 1000 - 200);
    expect(slotOfQueue(begin.queueId)).to.deep.include({ level: 0 });
    expect(slotOfQueue(239)).to.deep.equal({ level: 3, queueId: 239, slot: 63 });
    expect(nextSlotBegin(1, now).queueId).to.be.within(64, 127);
  });
});

describe('timer heap', () => {
  it('pops by delivery time, then arrival', () => {
    const heap = new TimerHeap();
    const times = [50, 10, 30, 10, 40, 20, 0, 30];
    times.forEach((deliverMs, queueOffset) =>
      heap.push({ deliverMs, queueId: 0, queueOffset, physicalOffset: queueOffset }),
    );
    const popped: number[][] = [];
    while (heap.size > 0) {
      const entry = heap.pop()!;
      popped.push([entry.deliverMs, entry.queueOffset]);
    }
    expect(popped).to.deep.equal([
      [0, 6],
      [10, 1],
      [10, 3],
      [20, 5],
      [30, 2],
      [30, 7],
      [40, 4],
      [50, 0],
    ]);
  });
});

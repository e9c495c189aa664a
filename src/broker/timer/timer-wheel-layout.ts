// The shape of the timer wheel: four levels of time slots, each slot one consume queue of the
// system topic rmq_sys_wheel_timer (240 queues in all). Pure arithmetic, no I/O.
//
//   level  slot width  slots  reach      queue ids   rolled down this much before its slot starts
//   0      1 s         64     64 s       0..63       (loaded 200 ms early)
//   1      1 min       64     64 min     64..127     2 s
//   2      1 h         48     48 h       128..175    2 min
//   3      1 day       64     64 days    176..239    1 h
//
// Slots are aligned on the epoch (slot k of a level covers [k·width, (k+1)·width)); slot k is
// queue firstQueueId + (k mod slots). A message due at deliverMs, parked at time nowMs, goes to the
// finest level where floor(deliverMs/width) − floor(nowMs/width) ≤ slots − 2: its slot's next
// occurrence is then the one holding deliverMs, and the previous occurrence ended at least one
// slot earlier. When a slot of level ≥ 1 "begins" (its start minus its lead), everything in it is
// rolled down into a finer level (the leads are chosen so that it always fits, see
// checkLayoutInvariants); when a level-0 slot begins, its entries are loaded into the in-memory
// index and delivered at their millisecond.
//
// Each slot's queue is therefore a sequence of groups, one per occurrence, in time order: the
// processor of a slot takes entries while they are due before the end of the slot's latest
// begun occurrence (its horizon) and stops at the first entry that is due later.

export interface WheelLevel {
  slotMs: number;
  slots: number;
  /** The slot begins (is loaded or rolled down) this long before its start time. */
  leadMs: number;
  firstQueueId: number;
}

export const TIMER_TOPIC = 'rmq_sys_wheel_timer';

export const TIMER_LEVELS: readonly WheelLevel[] = [
  { slotMs: 1000, slots: 64, leadMs: 200, firstQueueId: 0 },
  { slotMs: 60_000, slots: 64, leadMs: 2000, firstQueueId: 64 },
  { slotMs: 3_600_000, slots: 48, leadMs: 120_000, firstQueueId: 128 },
  { slotMs: 86_400_000, slots: 64, leadMs: 3_600_000, firstQueueId: 176 },
];

export const TIMER_QUEUE_COUNT = 240;
/** Farthest delivery time accepted (the top level reaches a little beyond). */
export const TIMER_MAX_DELAY_MS = 60 * 86_400_000;

export interface SlotRef {
  level: number;
  queueId: number;
}

/** The level and queue for a message due at deliverMs, parked at nowMs; null if too far ahead. */
export function placeTimer(deliverMs: number, nowMs: number): SlotRef | null {
  for (let level = 0; level < TIMER_LEVELS.length; level++) {
    const { slotMs, slots, firstQueueId } = TIMER_LEVELS[level];
    const slotIndex = Math.floor(deliverMs / slotMs);
    if (slotIndex - Math.floor(nowMs / slotMs) <= slots - 2) {
      return { level, queueId: firstQueueId + mod(slotIndex, slots) };
    }
  }
  return null;
}

/** The level and slot of a timer queue id. */
export function slotOfQueue(queueId: number): SlotRef & { slot: number } {
  for (let level = TIMER_LEVELS.length - 1; level >= 0; level--) {
    const first = TIMER_LEVELS[level].firstQueueId;
    if (queueId >= first) return { level, queueId, slot: queueId - first };
  }
  throw new RangeError(`timer queue id ${queueId}`);
}

/**
 * The horizon of a slot at nowMs: the end of its latest occurrence that has begun (start − lead
 * ≤ nowMs). Entries due before it are to be processed now.
 */
export function slotHorizonMs(queueId: number, nowMs: number): number {
  const { level, slot } = slotOfQueue(queueId);
  const { slotMs, slots, leadMs } = TIMER_LEVELS[level];
  const latest = Math.floor((nowMs + leadMs) / slotMs);
  const begun = latest - mod(latest - slot, slots);
  return (begun + 1) * slotMs;
}

/** When the next slot of `level` begins after nowMs, and its queue id. */
export function nextSlotBegin(level: number, nowMs: number): { atMs: number; queueId: number } {
  const { slotMs, slots, leadMs, firstQueueId } = TIMER_LEVELS[level];
  const next = Math.floor((nowMs + leadMs) / slotMs) + 1;
  return { atMs: next * slotMs - leadMs, queueId: firstQueueId + mod(next, slots) };
}

function mod(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}

/**
 * The conditions the layout relies on; returns the broken ones (empty when the table is sound).
 * Rolling a level-L slot at (start − lead) must place every entry one level finer, and the top
 * level must take TIMER_MAX_DELAY_MS.
 */
export function checkLayoutInvariants(): string[] {
  const problems: string[] = [];
  let queueId = 0;
  TIMER_LEVELS.forEach((level, index) => {
    if (level.firstQueueId !== queueId) problems.push(`level ${index} starts at queue ${level.firstQueueId}`);
    queueId += level.slots;
    if (index === 0) return;
    const finer = TIMER_LEVELS[index - 1];
    if (level.slotMs % finer.slotMs !== 0) problems.push(`level ${index} width is not a multiple`);
    const worst = level.slotMs / finer.slotMs - 1 + Math.ceil(level.leadMs / finer.slotMs);
    if (worst > finer.slots - 2) problems.push(`level ${index} lead too long for level ${index - 1}`);
  });
  if (queueId !== TIMER_QUEUE_COUNT) problems.push(`queue count ${queueId}`);
  const top = TIMER_LEVELS[TIMER_LEVELS.length - 1];
  if (Math.ceil(TIMER_MAX_DELAY_MS / top.slotMs) + 1 > top.slots - 2) problems.push('max delay beyond the top level');
  return problems;
}

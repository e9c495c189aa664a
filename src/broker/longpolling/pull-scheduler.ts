// Pull work yields to the send path (Java runs pulls on their own pool, pullMessageExecutor, apart
// from the send pool). Node has one thread: here each turn of the event loop gives pulls at most
// pullTurnBudgetMs of work (fresh pulls and woken held pulls alike); what does not fit waits, in
// order, for the next turns, after the sockets' reads (new sends) of that turn have been served.
// A pull that finds nothing waiting and budget left runs at once, so an idle broker answers as
// before; work submitted from inside a task runs inline, on that task's budget. While pulls wait,
// PULL_MESSAGE frames are queued undecoded (PullMessageProcessor.deferFrame), so their decoding too
// waits behind the sends read in the same turn. Woken held pulls always wait for the next turn
// (submitLater, as Java hands them to its pull pool): the sends whose messages woke them are answered
// first, and each woken pull then reads every message that arrived in its turn, not only the first.
// A turn also yields to the write of the sends read in its turn of the event loop (yieldTurn): that
// write, and the answers to those sends, come before the turn's pull work, not after it (with the
// write on the thread pool, PutCompletion.writeOnThreadPool, only its start does).
// While the log is being written (its end moved within the last WRITES_RECENT_MS) the budget is at most
// pullTurnBudgetMs (1 ms): sends are flowing and a short budget lets them in sooner, and pulls that
// wait answer with more messages each. Within that ceiling it adapts (noteAnswer): while the pulls'
// answers leave messages behind them (consumers not keeping up) it doubles, up to pullTurnBudgetMs;
// while they do not, it shrinks, down to a quarter of it, so that sends wait less. Otherwise a turn
// gets at least PULL_TURN_BUDGET_WITHOUT_WRITES_MS, so pulls alone (a consumer reading a backlog) run
// in longer turns, fewer of them, with fewer socket writes.
// A pull's answer is written after its task: in the promise reactions and ticks that follow the turn
// (the answers' encoding and the sockets' writev, corked per connection). That work is the pulls'
// too (for cold reads, most of their cost): so each turn is followed by a meter (an immediate queued
// right behind it) that times this tail, and each task is charged its own time × (1 + the tail's
// share learned so far, tailRatio), on the turn's budget and outside a turn alike. Where the budget
// is at its top (consumers of recent messages behind, or nothing written lately) it grows by the same
// factor: the pulls' own time per turn is then what it was before the tail was counted. Answers read
// from disk do not move the budget (noteAnswer): a backlog read alongside the sends keeps the budget
// it found, tail counted.
// At most pullThreadPoolQueueCapacity pulls wait (Java's key and default, 100000); one
// more is refused, and the caller answers it SYSTEM_BUSY with Java's "[OVERLOAD]" remark.
import { performance } from 'node:perf_hooks';

export const OVERLOAD_REMARK = '[OVERLOAD]system busy, start flow control for a while';

/** A turn's budget while nothing is being written (pullTurnBudgetMs when that is larger). */
export const PULL_TURN_BUDGET_WITHOUT_WRITES_MS = 5;
/** Writes seen within this long count as "the log is being written". */
const WRITES_RECENT_MS = 100;
/** The adaptive budget is judged over windows of this long, */
const ADAPT_WINDOW_MS = 100;
/** raised (×2) when more than this share of the window's answers left messages behind, */
const BEHIND_SHARE_RAISE = 0.25;
/** lowered (×0.75) when less than this share did, */
const BEHIND_SHARE_LOWER = 0.05;
/** and never below this share of pullTurnBudgetMs. */
export const ADAPTIVE_BUDGET_FLOOR_SHARE = 0.25;
/** Weight of each turn's tail in tailRatio (an exponentially weighted mean), */
const TAIL_RATIO_WEIGHT = 0.25;
/** and the most it counts for (a turn's tail measured across a stall or a collection); */
const TAIL_RATIO_MAX = 8;
/** turns whose tasks took less than this teach nothing (the meter's own overhead would dominate). */
const TAIL_METER_MIN_TASKS_MS = 0.05;

export interface PullSchedulerLimits {
  pullTurnBudgetMs: number;
  pullThreadPoolQueueCapacity: number;
}

export class PullScheduler {
  private queue: ((() => void) | undefined)[] = [];
  private head = 0;
  private spentMs = 0;
  private pendingTurn: NodeJS.Immediate | null = null;
  /** Queued right behind pendingTurn: times the turn's tail (its answers' writes). */
  private pendingMeter: NodeJS.Immediate | null = null;
  /** Time the tasks of the last turn took themselves, and when that turn ended. */
  private turnTasksMs = 0;
  private turnEndMs = 0;
  /** Time spent after a turn's tasks on their answers, per ms of the tasks (see the top). */
  private tailRatioValue = 0;
  /** tailRatio when the current turn began. */
  private turnTailRatio = 0;
  private stopped = false;
  private inTask = false;
  private turnBudgetMs: number;
  private lastWriteMark: number;
  private lastWriteSeenAtMs = Number.NEGATIVE_INFINITY;
  /** The budget while writes flow, within [pullTurnBudgetMs × ADAPTIVE_BUDGET_FLOOR_SHARE, pullTurnBudgetMs]. */
  private adaptiveBudgetMs: number;
  private windowStartMs = 0;
  private windowAnswers = 0;
  private windowBehindAnswers = 0;

  /** `writeMark`: a number that changes whenever something is written (the log's end offset). */
  constructor(
    private readonly limits: () => PullSchedulerLimits,
    private readonly writeMark: () => number = () => 0,
  ) {
    this.turnBudgetMs = limits().pullTurnBudgetMs;
    this.adaptiveBudgetMs = this.turnBudgetMs;
    this.lastWriteMark = Number.NaN; // read at the first turn
  }

  /** This turn's budget (ms), tasks charged with their tail: see the top of the file. */
  get budgetMs(): number {
    return this.turnBudgetMs;
  }

  /** This turn's budget in the tasks' own time (the tail's share as it was when the turn began). */
  get ownBudgetMs(): number {
    return this.turnBudgetMs / (1 + this.turnTailRatio);
  }

  /** A turn's tail (its answers' writes) per ms of its tasks' own time, as learned so far. */
  get tailRatio(): number {
    return this.tailRatioValue;
  }

  /**
   * Told of each pull answered with messages: `behind` when its queue held more than it took. An
   * answer read from disk (`cold`: a backlog) does not count: its reader is behind by nature, and a
   * longer turn would not make it keep up with the sends, only make them wait.
   */
  noteAnswer(behind: boolean, cold = false): void {
    if (cold) return;
    this.windowAnswers++;
    if (behind) this.windowBehindAnswers++;
  }

  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** True while pulls wait or this turn's budget is spent: a new pull would be queued. */
  get busy(): boolean {
    return this.waiting > 0 || this.spentMs >= this.turnBudgetMs;
  }

  /** Runs `task` now when nothing waits and the turn has budget left, else queues it; false when the queue is full. */
  submit(task: () => void): boolean {
    if (this.inTask) {
      task();
      return true;
    }
    const { pullThreadPoolQueueCapacity } = this.limits();
    if (this.waiting === 0 && this.spentMs < this.turnBudgetMs) {
      this.run(task);
      return true;
    }
    if (this.waiting >= pullThreadPoolQueueCapacity) return false;
    this.queue.push(task);
    this.scheduleTurn();
    return true;
  }

  /** Queues `task` for the next turn's budget even when this turn has budget left; false when the queue is full. */
  submitLater(task: () => void): boolean {
    if (this.waiting >= this.limits().pullThreadPoolQueueCapacity) return false;
    this.queue.push(task);
    this.scheduleTurn();
    return true;
  }

  /** Runs `work` (what follows a cold read) on the budget: now, or in a later turn; a full queue runs it now. */
  onBudget<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const task = () => {
        try {
          resolve(work());
        } catch (error) {
          reject(error);
        }
      };
      if (!this.submit(task)) task();
    });
  }

  /** Drops what waits (shutdown): those pulls are never answered, as when the connection closes. */
  shutdown(): void {
    this.stopped = true;
    this.clearPending();
    this.queue = [];
    this.head = 0;
  }

  /** Ends an ADAPT_WINDOW_MS window: the budget while writes flow, from the share of answers left behind. */
  private adapt(nowMs: number, pullTurnBudgetMs: number): void {
    const floorMs = pullTurnBudgetMs * ADAPTIVE_BUDGET_FLOOR_SHARE;
    // at the top, the pulls get pullTurnBudgetMs of their own time, whatever their answers' writes cost
    const ceilingMs = pullTurnBudgetMs * (1 + this.tailRatioValue);
    const behindShare = this.windowAnswers === 0 ? -1 : this.windowBehindAnswers / this.windowAnswers;
    let budgetMs = Math.min(ceilingMs, Math.max(floorMs, this.adaptiveBudgetMs)); // the key may have changed
    if (behindShare > BEHIND_SHARE_RAISE) budgetMs = Math.min(ceilingMs, budgetMs * 2);
    else if (behindShare >= 0 && behindShare < BEHIND_SHARE_LOWER) budgetMs = Math.max(floorMs, budgetMs * 0.75);
    this.adaptiveBudgetMs = budgetMs;
    this.windowStartMs = nowMs;
    this.windowAnswers = 0;
    this.windowBehindAnswers = 0;
  }

  /** Runs `task`, charging its time and its expected tail to the turn; returns the task's own time. */
  private run(task: () => void): number {
    const startMs = performance.now();
    this.inTask = true;
    let tookMs = 0;
    try {
      task();
    } finally {
      this.inTask = false;
      tookMs = performance.now() - startMs;
      this.spentMs += tookMs * (1 + this.tailRatioValue);
      this.scheduleTurn(); // the budget is per turn: reset it once this turn's I/O is done
    }
    return tookMs;
  }

  /**
   * Moves a pending turn behind the immediates scheduled so far: called when the sends read in this
   * turn of the event loop are scheduled to be written, so they are written (or, on the thread pool,
   * their write started) first.
   */
  yieldTurn(): void {
    if (this.pendingTurn === null) return;
    this.clearPending();
    this.scheduleTurn();
  }

  private scheduleTurn(): void {
    if (this.pendingTurn !== null || this.stopped) return;
    this.pendingTurn = setImmediate(() => this.turn());
    this.pendingMeter = setImmediate(() => this.meter());
  }

  private clearPending(): void {
    if (this.pendingTurn !== null) clearImmediate(this.pendingTurn);
    if (this.pendingMeter !== null) clearImmediate(this.pendingMeter);
    this.pendingTurn = this.pendingMeter = null;
  }

  /** Runs right after a turn and its promise reactions and ticks: learns the tail's share. */
  private meter(): void {
    if (this.turnTasksMs < TAIL_METER_MIN_TASKS_MS) return;
    const tailMs = performance.now() - this.turnEndMs;
    const ratio = Math.min(TAIL_RATIO_MAX, tailMs / this.turnTasksMs);
    this.tailRatioValue += (ratio - this.tailRatioValue) * TAIL_RATIO_WEIGHT;
    this.turnTasksMs = 0;
  }

  private turn(): void {
    this.pendingTurn = null;
    this.spentMs = 0;
    const mark = this.writeMark();
    const nowMs = performance.now();
    if (mark !== this.lastWriteMark) {
      this.lastWriteMark = mark;
      this.lastWriteSeenAtMs = nowMs;
    }
    const { pullTurnBudgetMs } = this.limits();
    this.turnTailRatio = this.tailRatioValue;
    if (nowMs - this.windowStartMs >= ADAPT_WINDOW_MS) this.adapt(nowMs, pullTurnBudgetMs);
    this.turnBudgetMs =
      nowMs - this.lastWriteSeenAtMs < WRITES_RECENT_MS
        ? this.adaptiveBudgetMs
        : Math.max(pullTurnBudgetMs, PULL_TURN_BUDGET_WITHOUT_WRITES_MS) * (1 + this.tailRatioValue);
    let tasksMs = 0;
    while (this.waiting > 0 && this.spentMs < this.turnBudgetMs) {
      const task = this.queue[this.head]!;
      this.queue[this.head++] = undefined;
      tasksMs += this.run(task);
    }
    this.turnTasksMs = tasksMs;
    this.turnEndMs = performance.now();
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.waiting > 0) this.scheduleTurn();
  }
}

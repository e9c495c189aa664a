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

export interface PullSchedulerLimits {
  pullTurnBudgetMs: number;
  pullThreadPoolQueueCapacity: number;
}

export class PullScheduler {
  private queue: ((() => void) | undefined)[] = [];
  private head = 0;
  private spentMs = 0;
  private pendingTurn: NodeJS.Immediate | null = null;
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

  /** This turn's budget (ms): see the top of the file. */
  get budgetMs(): number {
    return this.turnBudgetMs;
  }

  /** Told of each pull answered with messages: `behind` when its queue held more than it took. */
  noteAnswer(behind: boolean): void {
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

  /** Drops what waits (shutdown): those pulls are never answered, as when the connection closes. */
  shutdown(): void {
    this.stopped = true;
    if (this.pendingTurn !== null) clearImmediate(this.pendingTurn);
    this.pendingTurn = null;
    this.queue = [];
    this.head = 0;
  }

  /** Ends an ADAPT_WINDOW_MS window: the budget while writes flow, from the share of answers left behind. */
  private adapt(nowMs: number, ceilingMs: number): void {
    const floorMs = ceilingMs * ADAPTIVE_BUDGET_FLOOR_SHARE;
    const behindShare = this.windowAnswers === 0 ? -1 : this.windowBehindAnswers / this.windowAnswers;
    let budgetMs = Math.min(ceilingMs, Math.max(floorMs, this.adaptiveBudgetMs)); // the key may have changed
    if (behindShare > BEHIND_SHARE_RAISE) budgetMs = Math.min(ceilingMs, budgetMs * 2);
    else if (behindShare >= 0 && behindShare < BEHIND_SHARE_LOWER) budgetMs = Math.max(floorMs, budgetMs * 0.75);
    this.adaptiveBudgetMs = budgetMs;
    this.windowStartMs = nowMs;
    this.windowAnswers = 0;
    this.windowBehindAnswers = 0;
  }

  private run(task: () => void): void {
    const startMs = performance.now();
    this.inTask = true;
    try {
      task();
    } finally {
      this.inTask = false;
      this.spentMs += performance.now() - startMs;
      this.scheduleTurn(); // the budget is per turn: reset it once this turn's I/O is done
    }
  }

  /**
   * Moves a pending turn behind the immediates scheduled so far: called when the sends read in this
   * turn of the event loop are scheduled to be written, so they are written (or, on the thread pool,
   * their write started) first.
   */
  yieldTurn(): void {
    if (this.pendingTurn === null) return;
    clearImmediate(this.pendingTurn);
    this.pendingTurn = setImmediate(() => this.turn());
  }

  private scheduleTurn(): void {
    if (this.pendingTurn !== null || this.stopped) return;
    this.pendingTurn = setImmediate(() => this.turn());
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
    if (nowMs - this.windowStartMs >= ADAPT_WINDOW_MS) this.adapt(nowMs, pullTurnBudgetMs);
    this.turnBudgetMs =
      nowMs - this.lastWriteSeenAtMs < WRITES_RECENT_MS
        ? this.adaptiveBudgetMs
        : Math.max(pullTurnBudgetMs, PULL_TURN_BUDGET_WITHOUT_WRITES_MS);
    while (this.waiting > 0 && this.spentMs < this.turnBudgetMs) {
      const task = this.queue[this.head]!;
      this.queue[this.head++] = undefined;
      this.run(task);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.waiting > 0) this.scheduleTurn();
  }
}

import { expect } from 'chai';
import {
  ADAPTIVE_BUDGET_FLOOR_SHARE,
  OVERLOAD_REMARK,
  PULL_TURN_BUDGET_WITHOUT_WRITES_MS,
  PullScheduler,
} from './pull-scheduler';

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin: a pull's synchronous work
  }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('PullScheduler', () => {
  it('runs a pull at once while the turn has budget and nothing waits', () => {
    const scheduler = new PullScheduler(() => ({ pullTurnBudgetMs: 5, pullThreadPoolQueueCapacity: 10 }));
    let ran = false;
    expect(scheduler.submit(() => (ran = true))).to.equal(true);
    expect([ran, scheduler.waiting]).to.deep.equal([true, 0]);
  });

  it('spreads work past the budget over later turns, in order, letting I/O of each turn run first', async () => {
    let writes = 0;
    const scheduler = new PullScheduler(
      () => ({ pullTurnBudgetMs: 2, pullThreadPoolQueueCapacity: 100 }),
      () => writes++, // something is written before every turn: pullTurnBudgetMs applies
    );
    const order: number[] = [];
    for (let i = 0; i < 6; i++)
      scheduler.submit(() => {
        order.push(i);
        busyFor(3);
      });
    expect(order, 'one pull spends the first turn').to.deep.equal([0]);
    expect(scheduler.waiting).to.equal(5);
    let turns = 0;
    while (scheduler.waiting > 0 && turns < 50) {
      await nextTurn();
      turns++;
    }
    expect(order).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(turns, 'one pull per turn').to.be.at.least(5);
  });

  it('refuses a pull when pullThreadPoolQueueCapacity wait (the caller answers SYSTEM_BUSY [OVERLOAD])', () => {
    const scheduler = new PullScheduler(() => ({ pullTurnBudgetMs: 1, pullThreadPoolQueueCapacity: 2 }));
    scheduler.submit(() => busyFor(2));
    expect(scheduler.submit(() => undefined)).to.equal(true);
    expect(scheduler.submit(() => undefined)).to.equal(true);
    expect(scheduler.submit(() => undefined)).to.equal(false);
    expect(OVERLOAD_REMARK).to.equal('[OVERLOAD]system busy, start flow control for a while');
    scheduler.shutdown();
    expect(scheduler.waiting).to.equal(0);
  });

  it('is busy while pulls wait or the budget is spent, and runs work submitted from inside a task inline', async () => {
    const scheduler = new PullScheduler(() => ({ pullTurnBudgetMs: 2, pullThreadPoolQueueCapacity: 100 }));
    expect(scheduler.busy).to.equal(false);
    const order: string[] = [];
    scheduler.submit(() => busyFor(3));
    expect(scheduler.busy, 'budget spent').to.equal(true);
    scheduler.submit(() => {
      order.push('outer');
      scheduler.submit(() => order.push('inner'));
      order.push('after inner');
    });
    scheduler.submit(() => order.push('next'));
    expect(scheduler.waiting).to.equal(2);
    while (scheduler.waiting > 0) await nextTurn();
    expect(order, 'the inner work ran inside its task, not queued behind "next"').to.deep.equal([
      'outer',
      'inner',
      'after inner',
      'next',
    ]);
    await nextTurn();
    expect(scheduler.busy).to.equal(false);
  });

  it('yieldTurn moves a pending turn behind an immediate scheduled after it (the write of the sends)', async () => {
    const scheduler = new PullScheduler(() => ({ pullTurnBudgetMs: 50, pullThreadPoolQueueCapacity: 10 }));
    const order: string[] = [];
    expect(scheduler.submitLater(() => order.push('pull'))).to.equal(true);
    setImmediate(() => order.push('write'));
    scheduler.yieldTurn();
    await nextTurn();
    await nextTurn();
    expect(order).to.deep.equal(['write', 'pull']);
    const unmoved = new PullScheduler(() => ({ pullTurnBudgetMs: 50, pullThreadPoolQueueCapacity: 10 }));
    order.length = 0;
    unmoved.submitLater(() => order.push('pull'));
    setImmediate(() => order.push('write'));
    await nextTurn();
    await nextTurn();
    expect(order, 'without yieldTurn the turn keeps its place').to.deep.equal(['pull', 'write']);
    scheduler.yieldTurn(); // nothing pending: no turn is scheduled
    expect(scheduler.waiting).to.equal(0);
  });

  it('while writes flow, shrinks the budget while answers keep up and doubles it while they leave messages behind', async () => {
    let writes = 0;
    const scheduler = new PullScheduler(
      () => ({ pullTurnBudgetMs: 2, pullThreadPoolQueueCapacity: 100 }),
      () => writes++,
    );
    /** One ADAPT_WINDOW_MS window with `answers`, then a turn that judges it. */
    const window = async (answers: boolean[]) => {
      for (const behind of answers) scheduler.noteAnswer(behind);
      await new Promise((resolve) => setTimeout(resolve, 110));
      scheduler.submitLater(() => undefined);
      await nextTurn();
      return scheduler.budgetMs;
    };
    expect(await window([])).to.equal(2);
    expect(await window([false, false, false]), 'answers keep up: × 0.75').to.equal(1.5);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) seen.push(await window([false]));
    expect(seen.at(-1), 'never below the floor').to.equal(2 * ADAPTIVE_BUDGET_FLOOR_SHARE);
    expect(await window([]), 'a window without answers keeps the budget').to.equal(0.5);
    expect(await window([true, false, false]), 'a third behind: doubled').to.equal(1);
    expect(await window([true, true]), 'never above pullTurnBudgetMs').to.equal(2);
    expect(await window([true, false, false, false, false, false, false, false, false, false])).to.equal(2);
  });

  it('queues submitLater work for the next turn even with budget left, within the queue capacity', async () => {
    const scheduler = new PullScheduler(() => ({ pullTurnBudgetMs: 50, pullThreadPoolQueueCapacity: 2 }));
    const order: string[] = [];
    expect(scheduler.submitLater(() => order.push('woken 1'))).to.equal(true);
    expect(scheduler.submitLater(() => order.push('woken 2'))).to.equal(true);
    expect(
      scheduler.submitLater(() => order.push('refused')),
      'queue full',
    ).to.equal(false);
    order.push('this turn');
    expect(scheduler.busy, 'woken pulls wait: a fresh pull queues behind them').to.equal(true);
    await nextTurn();
    expect(order).to.deep.equal(['this turn', 'woken 1', 'woken 2']);
    expect(scheduler.waiting).to.equal(0);
  });

  it('gives turns at least 5 ms when nothing was written for 100 ms, and pullTurnBudgetMs while the log grows', async () => {
    let logEnd = 0;
    const scheduler = new PullScheduler(
      () => ({ pullTurnBudgetMs: 1, pullThreadPoolQueueCapacity: 100 }),
      () => logEnd,
    );
    scheduler.submitLater(() => undefined);
    await nextTurn();
    expect(scheduler.budgetMs, 'the first turn counts as written').to.equal(1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    scheduler.submitLater(() => undefined);
    await nextTurn();
    expect(scheduler.budgetMs, 'nothing written for 100 ms').to.equal(PULL_TURN_BUDGET_WITHOUT_WRITES_MS);
    const ran: number[] = [];
    for (let i = 0; i < 3; i++)
      scheduler.submitLater(() => {
        ran.push(i);
        busyFor(1.5);
      });
    await nextTurn();
    expect(ran, 'three 1.5 ms pulls fit one 5 ms turn').to.deep.equal([0, 1, 2]);
    logEnd = 4096;
    for (let i = 3; i < 6; i++)
      scheduler.submitLater(() => {
        ran.push(i);
        busyFor(1.5);
      });
    await nextTurn();
    expect(scheduler.budgetMs).to.equal(1);
    expect(ran, 'with writes, one 1.5 ms pull spends the 1 ms turn').to.deep.equal([0, 1, 2, 3]);
    while (scheduler.waiting > 0) await nextTurn();
    expect(ran).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(scheduler.budgetMs, 'written 100 ms ago or less').to.equal(1);
  });
});

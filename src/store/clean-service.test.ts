import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileHandleCache } from './file-handle-cache';
import { CleanService } from './clean-service';
import { CommitLog } from './commit-log';
import { ConsumeQueueTable } from './consume-queue-table';
import { message, tempStoreHome, testConfig, useTempStore } from './store-test-helpers';

describe('CleanService disk watch', () => {
  let home: string;

  beforeEach(() => {
    home = tempStoreHome();
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('marks the disk full above 90 % and clears it below', () => {
    const config = testConfig(home);
    const handles = new FileHandleCache();
    const commitLog = new CommitLog(
      config.storePathCommitLog,
      config.mappedFileSizeCommitLog,
      config.maxMessageSize,
      handles,
    );
    const queues = new ConsumeQueueTable(path.join(home, 'cq'), config.mappedFileSizeConsumeQueue, handles);
    let ratio = 0.95;
    const logs: string[] = [];
    const clean = new CleanService(
      config,
      commitLog,
      queues,
      (line) => logs.push(line),
      undefined,
      () => ratio,
    );
    clean.runOnce();
    expect(clean.diskFull).to.equal(true);
    ratio = 0.5;
    clean.runOnce();
    expect(clean.diskFull).to.equal(false);
    expect(logs).to.have.length(2);
  });
});

describe('CleanService cleanFileForciblyEnable', () => {
  const fx = useTempStore({
    mappedFileSizeCommitLog: 4096,
    flushIntervalCommitLog: 3600000,
    flushIntervalConsumeQueue: 3600000,
  });

  /** A CleanService over the open store's files that sees the disk 88 % used (forcibly: above 85 %, not full). */
  function cleanAt88Percent(cleanFileForciblyEnable: boolean): CleanService {
    const internals = fx.store as unknown as { commitLog: CommitLog; consumeQueues: ConsumeQueueTable };
    const config = {
      ...fx.store.config,
      cleanFileForciblyEnable,
      deleteWhen: '99',
      diskMaxUsedSpaceRatio: 75,
      diskSpaceCleanForciblyRatio: 0.85,
    };
    return new CleanService(
      config,
      internals.commitLog,
      internals.consumeQueues,
      () => undefined,
      undefined,
      () => 0.88,
    );
  }

  it('deletes young segments on a nearly full disk only when it is true (Java: isCleanFileForciblyEnable)', async () => {
    for (let i = 0; i < 60; i++) await fx.store.putMessage(message('T', 0, `body-${i}-${'x'.repeat(100)}`));
    await fx.store.flush();
    const segments = (fx.store as unknown as { commitLog: CommitLog }).commitLog.files.files.length;
    expect(segments, 'segments written').to.be.above(2);
    expect(cleanAt88Percent(false).runOnce()).to.equal(0);
    expect(cleanAt88Percent(true).runOnce()).to.be.above(0);
  });
});

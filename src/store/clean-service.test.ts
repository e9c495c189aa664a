import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { FileHandleCache } from './file-handle-cache';
import { CleanService } from './clean-service';
import { CommitLog } from './commit-log';
import { ConsumeQueueTable } from './consume-queue-table';
import { tempStoreHome, testConfig } from './store-test-helpers';

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
    const queues = new ConsumeQueueTable(
      path.join(home, 'cq'),
      config.mappedFileSizeConsumeQueue,
      handles,
    );
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

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrokerContext } from '../broker/broker-context';
import { defaultMessageStoreConfig } from '../store/message-store-config';
import { ReplyMessageProcessor } from './reply-message-processor';
import { diskPartitionSpaceUsedRatio, diskUtil } from '../broker/stats/java-format';
import { SendMessageProcessor } from './send-message-processor';

describe('SendMessageProcessor flow control and disk remarks', () => {
  let home: string;

  beforeEach(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-send-proc-'))));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it("rejectRequest() follows the store's isOSPageCacheBusy() (Java SendMessageProcessor.rejectRequest)", () => {
    let busy = false;
    const broker = { messageStore: { isOSPageCacheBusy: () => busy } } as unknown as BrokerContext;
    const processor = new SendMessageProcessor(broker);
    expect(processor.rejectRequest()).to.equal(false);
    busy = true;
    expect(processor.rejectRequest()).to.equal(true);
  });

  it("the reply processor never rejects (Java ReplyMessageProcessor keeps AbstractSendMessageProcessor's false)", () => {
    const broker = { messageStore: { isOSPageCacheBusy: () => true } } as unknown as BrokerContext;
    const reply = new ReplyMessageProcessor(broker, new SendMessageProcessor(broker));
    expect((reply as { rejectRequest?: () => boolean }).rejectRequest).to.equal(undefined);
  });

  it('measures used space as Java UtilAll.getDiskPartitionSpaceUsedPercent: (total - free) / total, -1 when missing', () => {
    const stats = fs.statfsSync(home);
    const ratio = diskPartitionSpaceUsedRatio(home);
    expect(ratio).to.be.within(0, 1);
    expect(ratio).to.be.closeTo((stats.blocks - stats.bfree) / stats.blocks, 0.01);
    expect(diskPartitionSpaceUsedRatio(path.join(home, 'missing'))).to.equal(-1);
  });

  it('formats diskUtil as String.format("CL: %5.2f CQ: %5.2f INDEX: %5.2f")', () => {
    const config = defaultMessageStoreConfig(home);
    expect(diskUtil(config)).to.equal('CL: -1.00 CQ: -1.00 INDEX: -1.00'); // nothing created yet
    fs.mkdirSync(config.storePathCommitLog, { recursive: true });
    fs.mkdirSync(path.join(config.storePathRootDir, 'index'), { recursive: true });
    const used = diskPartitionSpaceUsedRatio(home).toFixed(2);
    expect(used).to.match(/^[01]\.\d\d$/);
    expect(diskUtil(config)).to.equal(`CL:  ${used} CQ: -1.00 INDEX:  ${used}`);
  });

  it('pads like %5.2f: width 5, two decimals, rounded', () => {
    const config = { ...defaultMessageStoreConfig(home), storePathCommitLog: home };
    const text = diskUtil(config);
    expect(text).to.match(/^CL: [ -][01]\.\d\d CQ: -1\.00 INDEX: -1\.00$/);
    expect(text.slice(4, 9)).to.have.length(5);
  });
});

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileHandleCache } from './file-handle-cache';
import { openIndexFile } from './index-file';
import { StoreFile } from './store-file';

const HASH_SLOTS = 1000;
const SLOT_TABLE_BYTES = HASH_SLOTS * 4;

/** Bytes read through StoreFile.read while `action` runs. */
function bytesReadDuring(action: () => void): number {
  const original = StoreFile.prototype.read;
  let bytes = 0;
  StoreFile.prototype.read = function (this: StoreFile, target, targetPosition, length, filePosition) {
    bytes += length;
    return original.call(this, target, targetPosition, length, filePosition);
  };
  try {
    action();
  } finally {
    StoreFile.prototype.read = original;
  }
  return bytes;
}

describe('IndexFile slot table', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'index-file-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("does not read a new file's slot table (all zeros), and reads an existing file's", () => {
    const handles = new FileHandleCache();
    const fresh = openIndexFile(dir, 'idx', HASH_SLOTS, 100, handles);
    const readFresh = bytesReadDuring(() => {
      fresh.putKey('T#k1', 100, 1_000);
      fresh.putKey('T#k2', 200, 1_001);
    });
    expect(readFresh, 'nothing of the slot table is read').to.be.below(SLOT_TABLE_BYTES);
    fresh.releaseSlots(); // written out, table dropped
    const readAgain = bytesReadDuring(() => fresh.putKey('T#k3', 300, 1_002));
    expect(readAgain, 'after release the table comes back from the file').to.be.at.least(SLOT_TABLE_BYTES);
    fresh.flushSlots();

    const reopened = openIndexFile(dir, 'idx', HASH_SLOTS, 100, new FileHandleCache());
    const readReopened = bytesReadDuring(() => reopened.putKey('T#k4', 400, 1_003));
    expect(readReopened, 'an existing file: its slots are read').to.be.at.least(SLOT_TABLE_BYTES);
    reopened.flushSlots();
    for (const [key, offset] of [
      ['T#k1', 100],
      ['T#k2', 200],
      ['T#k3', 300],
      ['T#k4', 400],
    ] as const) {
      const found: number[] = [];
      reopened.selectPhyOffsets(found, key, 10, 0, Number.MAX_SAFE_INTEGER);
      expect(found, key).to.deep.equal([offset]);
    }
  });
});

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../common/logger';
import { ConsumerOffsetManager } from './consumer-offset-manager';
import { SubscriptionGroupManager } from './subscription-group-manager';

/** A logger that keeps its error lines. */
function capturingLogger(errors: string[]): Logger {
  return {
    error: (message) => errors.push(message),
    warn: () => undefined,
    info: () => undefined,
    debug: () => undefined,
  };
}

/** Puts a directory where the file should be: every save of it fails (EISDIR), as on a broken disk. */
function blockWithDirectory(filePath: string): void {
  fs.rmSync(filePath, { force: true });
  fs.mkdirSync(path.join(filePath, 'in-the-way'), { recursive: true });
}

describe('ConfigManager.persist when the file cannot be written', () => {
  let dir: string;
  let errors: string[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-config-manager-'));
    errors = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('logs the failure and carries on instead of throwing (Java ConfigManager.persist)', () => {
    const file = path.join(dir, 'config', 'subscriptionGroup.json');
    const groups = new SubscriptionGroupManager(file, () => true);
    groups.logger = capturingLogger(errors);
    blockWithDirectory(file);
    expect(() => groups.findSubscriptionGroupConfig('g1')).to.not.throw(); // auto-creation persists
    expect(groups.findSubscriptionGroupConfig('g1')?.groupName).to.equal('g1'); // kept in memory
    expect(groups.persist()).to.equal(false);
    expect(errors.length).to.be.greaterThan(0);
    expect(errors[0]).to.contain(`persist file ${file} exception`);
    expect(fs.existsSync(`${file}.tmp`)).to.equal(false);
  });

  it('keeps the consumer offsets dirty after a failed save and saves them on the next tick', () => {
    const file = path.join(dir, 'config', 'consumerOffset.json');
    const offsets = new ConsumerOffsetManager(file);
    offsets.logger = capturingLogger(errors);
    offsets.commitOffset('g', 'T', 0, 7);
    blockWithDirectory(file);
    offsets.persistIfDirty();
    expect(errors).to.have.length(1);
    expect(fs.statSync(file).isDirectory()).to.equal(true);
    fs.rmSync(file, { recursive: true });
    offsets.persistIfDirty();
    expect(fs.readFileSync(file, 'utf8')).to.contain('"T@g"');
    expect(errors).to.have.length(1);
    offsets.persistIfDirty(); // nothing changed: no second write
    expect(errors).to.have.length(1);
  });

  it('returns true and writes the file when the save works', () => {
    const file = path.join(dir, 'config', 'subscriptionGroup.json');
    const groups = new SubscriptionGroupManager(file, () => true);
    groups.logger = capturingLogger(errors);
    groups.findSubscriptionGroupConfig('g2');
    expect(groups.persist()).to.equal(true);
    expect(fs.readFileSync(file, 'utf8')).to.contain('"g2"');
    expect(errors).to.deep.equal([]);
  });
});

import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { KVConfigManager, NAMESPACE_ORDER_TOPIC_CONFIG } from './kv-config-manager';

const silent = winston.createLogger({ silent: true });

describe('KVConfigManager', () => {
  let dir: string;
  let kvConfigPath: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvconfig-'));
    kvConfigPath = path.join(dir, 'namesrv', 'kvConfig.json');
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function manager(): KVConfigManager {
    const kv = new KVConfigManager(() => kvConfigPath, silent);
    kv.load();
    return kv;
  }

  it('persists puts and deletes as {"configTable":{ns:{k:v}}} and loads them back', () => {
    const kv = manager();
    kv.putKVConfig(NAMESPACE_ORDER_TOPIC_CONFIG, 'T', 'broker-a:4;broker-b:4');
    kv.putKVConfig('ns', 'k', 'v "quoted"');
    kv.putKVConfig('ns', 'gone', 'x');
    kv.deleteKVConfig('ns', 'gone');
    expect(fs.readFileSync(kvConfigPath, 'utf8')).to.equal(
      '{"configTable":{"ORDER_TOPIC_CONFIG":{"T":"broker-a:4;broker-b:4"},"ns":{"k":"v \\"quoted\\""}}}',
    );
    const reloaded = manager();
    expect(reloaded.getKVConfig(NAMESPACE_ORDER_TOPIC_CONFIG, 'T')).to.equal('broker-a:4;broker-b:4');
    expect(reloaded.getKVConfig('ns', 'k')).to.equal('v "quoted"');
    expect(reloaded.getKVConfig('ns', 'gone')).to.equal(undefined);
    expect(reloaded.getKVListByNamespace('ns')!.toString()).to.equal('{"table":{"k":"v \\"quoted\\""}}');
    expect(reloaded.getKVListByNamespace('nobody')).to.equal(undefined);
  });

  it('keeps the previous content in .bak and leaves no .tmp behind', () => {
    const kv = manager();
    kv.putKVConfig('ns', 'k', '1');
    kv.putKVConfig('ns', 'k', '2');
    expect(fs.readFileSync(`${kvConfigPath}.bak`, 'utf8')).to.contain('"k":"1"');
    expect(fs.readFileSync(kvConfigPath, 'utf8')).to.contain('"k":"2"');
    expect(fs.existsSync(`${kvConfigPath}.tmp`)).to.equal(false);
  });

  it('falls back to .bak when the file is damaged, and starts empty when both are', () => {
    const kv = manager();
    kv.putKVConfig('ns', 'k', '1');
    kv.putKVConfig('ns', 'k', '2');
    fs.writeFileSync(kvConfigPath, '{"configTable":{"ns":');
    expect(manager().getKVConfig('ns', 'k')).to.equal('1');
    const moved = fs
      .readdirSync(path.dirname(kvConfigPath))
      .filter((name) => name.startsWith('kvConfig.json.corrupt-'));
    expect(moved).to.have.length(1);
    fs.writeFileSync(kvConfigPath, 'garbage');
    fs.writeFileSync(`${kvConfigPath}.bak`, 'garbage');
    const errors: string[] = [];
    const logger = {
      error: (line: string) => errors.push(line),
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
    };
    const kvAgain = new KVConfigManager(() => kvConfigPath, logger);
    expect(() => kvAgain.load()).to.not.throw();
    expect(kvAgain.getKVConfig('ns', 'k')).to.equal(undefined);
    expect(errors.some((line) => line.includes('neither it nor'))).to.equal(true);
  });

  it('skips a namespace that is not an object and loads the rest', () => {
    fs.mkdirSync(path.dirname(kvConfigPath), { recursive: true });
    fs.writeFileSync(kvConfigPath, '{"configTable":{"bad":"text","worse":[1],"ns":{"k":"v","n":1}}}');
    const kv = manager();
    expect(kv.getKVConfig('ns', 'k')).to.equal('v');
    expect(kv.getKVConfig('ns', 'n')).to.equal('1');
    expect(kv.getKVListByNamespace('bad')).to.equal(undefined);
  });

  it('loads back every namespace, key and value it wrote', () => {
    const kv = manager();
    const texts = [
      '',
      ' ',
      '\u0000',
      'a\nb',
      'a"b\\',
      '__proto__',
      'constructor',
      'ü😀',
      'x'.repeat(100_000),
      '1',
      '-1',
    ];
    for (const text of texts) kv.putKVConfig(text, text, text);
    const reloaded = manager();
    for (const text of texts) expect(reloaded.getKVConfig(text, text)).to.equal(text);
  });

  it('reads a file Java wrote in PrettyFormat too', () => {
    fs.mkdirSync(path.dirname(kvConfigPath), { recursive: true });
    fs.writeFileSync(
      kvConfigPath,
      '{\n\t"configTable":{\n\t\t"ORDER_TOPIC_CONFIG":{\n\t\t\t"T":"broker-a:8"\n\t\t}\n\t}\n}',
    );
    expect(manager().getKVConfig(NAMESPACE_ORDER_TOPIC_CONFIG, 'T')).to.equal('broker-a:8');
  });

  it('starts empty without a file', () => {
    expect(manager().getKVListByNamespace(NAMESPACE_ORDER_TOPIC_CONFIG)).to.equal(undefined);
  });
});

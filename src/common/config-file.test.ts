import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfigFile, persistConfigFile } from './config-file';

describe('config file persistence', () => {
  let dir: string;
  let file: string;
  const isJson = (text: string) => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-config-'));
    file = path.join(dir, 'config', 'topics.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns null before anything was written', () => {
    expect(loadConfigFile(file)).to.equal(null);
  });

  it('writes the file, creating the directory, and leaves no .tmp behind', () => {
    persistConfigFile(file, '{"a":1}');
    expect(fs.readFileSync(file, 'utf8')).to.equal('{"a":1}');
    expect(fs.existsSync(`${file}.tmp`)).to.equal(false);
    expect(fs.existsSync(`${file}.bak`)).to.equal(false);
    expect(loadConfigFile(file, isJson)).to.equal('{"a":1}');
  });

  it('keeps the previous content in .bak', () => {
    persistConfigFile(file, '{"a":1}');
    persistConfigFile(file, '{"a":2}');
    expect(fs.readFileSync(`${file}.bak`, 'utf8')).to.equal('{"a":1}');
    expect(loadConfigFile(file, isJson)).to.equal('{"a":2}');
  });

  it('falls back to .bak when the main file is missing, empty or invalid', () => {
    persistConfigFile(file, '{"a":1}');
    persistConfigFile(file, '{"a":2}');
    fs.writeFileSync(file, '{"a":');
    expect(loadConfigFile(file, isJson)).to.equal('{"a":1}');
    fs.writeFileSync(file, '  \n');
    expect(loadConfigFile(file, isJson)).to.equal('{"a":1}');
    fs.unlinkSync(file);
    expect(loadConfigFile(file, isJson)).to.equal('{"a":1}');
  });

  it('returns null when neither file is usable', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'garbage');
    fs.writeFileSync(`${file}.bak`, 'more garbage');
    expect(loadConfigFile(file, isJson)).to.equal(null);
  });

  it('survives a crash that left a stale .tmp', () => {
    persistConfigFile(file, '{"a":1}');
    fs.writeFileSync(`${file}.tmp`, '{"half');
    expect(loadConfigFile(file, isJson)).to.equal('{"a":1}');
    persistConfigFile(file, '{"a":3}');
    expect(loadConfigFile(file, isJson)).to.equal('{"a":3}');
  });

  it('throws on a failed save, leaving the file as it was and no .tmp behind', () => {
    persistConfigFile(file, '{"a":1}');
    fs.mkdirSync(`${file}.bak`); // the backup step cannot write
    expect(() => persistConfigFile(file, '{"a":2}')).to.throw();
    expect(fs.readFileSync(file, 'utf8')).to.equal('{"a":1}');
    expect(fs.existsSync(`${file}.tmp`)).to.equal(false);
  });
});

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type ConfigLoadLogger, loadConfigFileOrBak, persistConfigFile } from './config-file';

/** A logger that keeps its error lines. */
function capturing(errors: string[]): ConfigLoadLogger {
  return { error: (message: string) => errors.push(message), info: () => undefined };
}

describe('config file persistence', () => {
  let dir: string;
  let file: string;
  let errors: string[];
  /** The text loadConfigFileOrBak used (JSON only), or null when it used none. */
  const load = (): string | null => {
    let used: string | null = null;
    const source = loadConfigFileOrBak(
      file,
      (text) => {
        JSON.parse(text);
        used = text;
      },
      capturing(errors),
    );
    expect(source === 'none').to.equal(used === null);
    return used;
  };
  const corruptCopies = () =>
    fs
      .readdirSync(path.dirname(file))
      .filter((name) => name.includes('.corrupt-'))
      .sort();

  beforeEach(() => {
    errors = [];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-config-'));
    file = path.join(dir, 'config', 'topics.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns null before anything was written', () => {
    expect(load()).to.equal(null);
    expect(errors).to.deep.equal([]);
  });

  it('writes the file, creating the directory, and leaves no .tmp behind', () => {
    persistConfigFile(file, '{"a":1}');
    expect(fs.readFileSync(file, 'utf8')).to.equal('{"a":1}');
    expect(fs.existsSync(`${file}.tmp`)).to.equal(false);
    expect(fs.existsSync(`${file}.bak`)).to.equal(false);
    expect(load()).to.equal('{"a":1}');
  });

  it('keeps the previous content in .bak', () => {
    persistConfigFile(file, '{"a":1}');
    persistConfigFile(file, '{"a":2}');
    expect(fs.readFileSync(`${file}.bak`, 'utf8')).to.equal('{"a":1}');
    expect(load()).to.equal('{"a":2}');
  });

  it('falls back to .bak when the main file is missing or empty, leaving them in place', () => {
    persistConfigFile(file, '{"a":1}');
    persistConfigFile(file, '{"a":2}');
    fs.writeFileSync(file, '  \n');
    expect(load()).to.equal('{"a":1}');
    expect(fs.readFileSync(file, 'utf8')).to.equal('  \n');
    fs.unlinkSync(file);
    expect(load()).to.equal('{"a":1}');
    expect(corruptCopies()).to.deep.equal([]);
  });

  it('moves a file that does not load aside to <file>.corrupt-<timestamp>, logs it and uses .bak', () => {
    persistConfigFile(file, '{"a":1}');
    persistConfigFile(file, '{"a":2}');
    fs.writeFileSync(file, '{"a":');
    expect(load()).to.equal('{"a":1}');
    expect(fs.existsSync(file)).to.equal(false);
    const [moved] = corruptCopies();
    expect(moved).to.match(/^topics\.json\.corrupt-\d+$/);
    expect(fs.readFileSync(path.join(path.dirname(file), moved), 'utf8')).to.equal('{"a":');
    expect(
      errors.some(
        (line) => line.includes(`${file} (`) && line.includes(`moved aside to ${path.join(path.dirname(file), moved)}`),
      ),
    ).to.equal(true);
    expect(errors.some((line) => line.includes('loaded its backup'))).to.equal(true);
    persistConfigFile(file, '{"a":3}'); // the next save starts clean and keeps the good .bak
    expect(fs.readFileSync(`${file}.bak`, 'utf8')).to.equal('{"a":1}');
    expect(load()).to.equal('{"a":3}');
  });

  it('moves aside a file it cannot read (a directory in the way)', () => {
    persistConfigFile(file, '{"a":1}');
    persistConfigFile(file, '{"a":2}');
    fs.rmSync(file);
    fs.mkdirSync(path.join(file, 'in-the-way'), { recursive: true });
    expect(load()).to.equal('{"a":1}');
    expect(fs.existsSync(file)).to.equal(false);
    expect(corruptCopies()).to.have.length(1);
  });

  it('starts without either when neither loads, moving both aside and logging it', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'garbage');
    fs.writeFileSync(`${file}.bak`, 'more garbage');
    expect(load()).to.equal(null);
    expect(corruptCopies().map((name) => name.replace(/\d+$/, 'N'))).to.deep.equal([
      'topics.json.bak.corrupt-N',
      'topics.json.corrupt-N',
    ]);
    expect(errors.some((line) => line.includes('neither it nor'))).to.equal(true);
  });

  it('does not throw when the decoder throws something odd', () => {
    persistConfigFile(file, '{"a":1}');
    const source = loadConfigFileOrBak(
      file,
      () => {
        throw new RangeError('odd');
      },
      capturing(errors),
    );
    expect(source).to.equal('none');
    expect(errors.join('\n')).to.contain('odd');
  });

  it('survives a crash that left a stale .tmp', () => {
    persistConfigFile(file, '{"a":1}');
    fs.writeFileSync(`${file}.tmp`, '{"half');
    expect(load()).to.equal('{"a":1}');
    persistConfigFile(file, '{"a":3}');
    expect(load()).to.equal('{"a":3}');
  });

  it('throws on a failed save, leaving the file as it was and no .tmp behind', () => {
    persistConfigFile(file, '{"a":1}');
    fs.mkdirSync(`${file}.bak`); // the backup step cannot write
    expect(() => persistConfigFile(file, '{"a":2}')).to.throw();
    expect(fs.readFileSync(file, 'utf8')).to.equal('{"a":1}');
    expect(fs.existsSync(`${file}.tmp`)).to.equal(false);
  });
});

import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BROKER_NODE_FLAGS } from './node-flags';

// The tests run from dist/src/cli; the sources are three levels up.
const repoRoot = path.resolve(__dirname, '..', '..', '..');

describe('broker launcher node flags', () => {
  for (const entry of ['mqbroker.ts', 'start.ts']) {
    it(`src/cli/${entry} starts node with them (shebang)`, () => {
      const firstLine = fs.readFileSync(path.join(repoRoot, 'src', 'cli', entry), 'utf8').split('\n')[0];
      expect(firstLine).to.equal(`#!/usr/bin/env -S node ${BROKER_NODE_FLAGS.join(' ')}`);
    });
  }

  it('npm start passes them', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).to.equal(`node ${BROKER_NODE_FLAGS.join(' ')} dist/src/cli/start.js`);
  });
});

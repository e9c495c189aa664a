#!/usr/bin/env node
// Copies the client matrix table of compat-tests/MATRIX.md (written by ClientMatrixTest) into the README,
// between the markers <!-- matrix:start --> and <!-- matrix:end -->. Run by `npm run matrix`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const matrixFile = path.join(root, 'compat-tests', 'MATRIX.md');
const readmeFile = path.join(root, 'README.md');
const START = '<!-- matrix:start -->';
const END = '<!-- matrix:end -->';

if (!fs.existsSync(matrixFile)) {
  console.error(`readme-matrix: ${matrixFile} is missing (run npm run matrix first)`);
  process.exit(1);
}
// Everything of MATRIX.md after its title: the generation line, the legend, the table, the notes.
const matrix = fs
  .readFileSync(matrixFile, 'utf8')
  .replace(/^# .*\n+/, '')
  .trim();
const readme = fs.readFileSync(readmeFile, 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < start) {
  console.error(`readme-matrix: README.md has no ${START} … ${END} section`);
  process.exit(1);
}
fs.writeFileSync(readmeFile, `${readme.slice(0, start + START.length)}\n${matrix}\n${readme.slice(end)}`);
console.log('readme-matrix: README.md section updated from compat-tests/MATRIX.md');

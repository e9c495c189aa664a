// Builds native/mapped-file.c into dist/native/mapped-file.node with the system C compiler and the
// headers of the running Node (no download, no node-gyp). Optional: without a compiler or headers
// it says so and the broker reads its commit log with pread (src/store/mapped-view.ts).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const source = path.join(root, 'native', 'mapped-file.c');
const target = path.join(root, 'dist', 'native', 'mapped-file.node');
const includeDir = path.join(path.dirname(process.execPath), '..', 'include', 'node');
const compiler = process.env.CC ?? 'cc';

function skip(reason) {
  console.log(`build-native: skipped (${reason}); commit-log reads use pread`);
  fs.rmSync(target, { force: true });
}

if (process.platform !== 'linux') skip(`platform ${process.platform}`);
else if (!fs.existsSync(path.join(includeDir, 'node_api.h'))) skip(`no node_api.h in ${includeDir}`);
else {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const args = ['-O2', '-Wall', '-Werror', '-shared', '-fPIC', '-DNODE_GYP_MODULE_NAME=mapped_file'];
  try {
    execFileSync(compiler, [...args, `-I${includeDir}`, source, '-o', target], { stdio: 'inherit' });
    console.log(`build-native: ${path.relative(root, target)}`);
  } catch (error) {
    skip(`${compiler} failed: ${error.message.split('\n')[0]}`);
  }
}

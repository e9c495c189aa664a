// Compares the commit logs of two broker stores (a master's and its slave's) file by file, byte for byte.
import fs from 'node:fs';
import path from 'node:path';

const CHUNK_BYTES = 1 << 20;

function sameFile(a, b) {
  const sizeA = fs.statSync(a).size;
  if (sizeA !== fs.statSync(b).size) return false;
  const fdA = fs.openSync(a, 'r');
  const fdB = fs.openSync(b, 'r');
  try {
    const bufferA = Buffer.alloc(CHUNK_BYTES);
    const bufferB = Buffer.alloc(CHUNK_BYTES);
    for (let position = 0; position < sizeA; position += CHUNK_BYTES) {
      const readA = fs.readSync(fdA, bufferA, 0, CHUNK_BYTES, position);
      const readB = fs.readSync(fdB, bufferB, 0, CHUNK_BYTES, position);
      if (readA !== readB || !bufferA.subarray(0, readA).equals(bufferB.subarray(0, readB))) return false;
    }
    return true;
  } finally {
    fs.closeSync(fdA);
    fs.closeSync(fdB);
  }
}

/** `{ equal, detail }`: equal when both hold the same commit-log file names with the same bytes. */
export async function sameCommitLogs(masterStore, slaveStore) {
  const dirA = path.join(masterStore, 'commitlog');
  const dirB = path.join(slaveStore, 'commitlog');
  const files = fs.readdirSync(dirA).sort();
  const other = fs.readdirSync(dirB).sort();
  if (files.join() !== other.join()) return { equal: false, detail: `files ${files.join(',')} vs ${other.join(',')}` };
  if (files.length === 0) return { equal: false, detail: 'no commit-log file' };
  for (const file of files) {
    if (!sameFile(path.join(dirA, file), path.join(dirB, file))) return { equal: false, detail: `${file} differs` };
  }
  return {
    equal: true,
    detail: `${files.length} file(s), ${files.map((f) => fs.statSync(path.join(dirA, f)).size).join('+')} bytes`,
  };
}

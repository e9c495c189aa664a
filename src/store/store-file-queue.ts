// An ordered run of equally sized store files in one directory (Java MappedFileQueue): the
// commit log, or one consume queue. File i covers [fileFromOffset, fileFromOffset + size).
import assert from 'node:assert';
import * as fs from 'node:fs';
import type { FileHandleCache } from './file-handle-cache';
import type { MappingBudget } from './mapped-view';
import { StoreFile, fileNameToOffset } from './store-file';

export class StoreFileQueue {
  readonly files: StoreFile[] = [];

  constructor(
    readonly dirPath: string,
    readonly fileSizeBytes: number,
    private readonly handles: FileHandleCache,
    /** Bounds how many of these files are mapped at once (consume queues); none: no bound. */
    private readonly mappingBudget?: MappingBudget,
  ) {
    assert.ok(Number.isSafeInteger(fileSizeBytes) && fileSizeBytes > 0);
  }

  /**
   * Opens the existing files. Returns an error text (and opens nothing) when a name is not a
   * multiple of the file size, files are not contiguous, or a file other than the last has the
   * wrong length (Java refuses to start in these cases too). A short last file is extended.
   */
  load(): string | null {
    if (!fs.existsSync(this.dirPath)) return null;
    const entries = fs
      .readdirSync(this.dirPath)
      .map((name) => ({ name, offset: fileNameToOffset(name) }))
      .filter((entry): entry is { name: string; offset: number } => entry.offset !== null)
      .sort((a, b) => a.offset - b.offset);
    const loaded: StoreFile[] = [];
    for (let i = 0; i < entries.length; i++) {
      const { name, offset } = entries[i];
      const filePath = `${this.dirPath}/${name}`;
      const sizeBytes = fs.statSync(filePath).size;
      if (offset % this.fileSizeBytes !== 0) return `${filePath}: offset not a multiple of file size`;
      if (i > 0 && offset !== entries[i - 1].offset + this.fileSizeBytes) return `${filePath}: gap before file`;
      const isLast = i === entries.length - 1;
      if (sizeBytes > this.fileSizeBytes || (!isLast && sizeBytes !== this.fileSizeBytes)) {
        return `${filePath}: length ${sizeBytes} does not match configured ${this.fileSizeBytes}`;
      }
      loaded.push(new StoreFile(filePath, offset, this.fileSizeBytes, this.handles, this.mappingBudget));
    }
    const last = loaded[loaded.length - 1];
    if (last !== undefined && fs.statSync(last.filePath).size < this.fileSizeBytes)
      last.zeroFrom(fs.statSync(last.filePath).size);
    this.files.push(...loaded);
    return null;
  }

  get isEmpty(): boolean {
    return this.files.length === 0;
  }

  first(): StoreFile | undefined {
    return this.files[0];
  }

  last(): StoreFile | undefined {
    return this.files[this.files.length - 1];
  }

  /** The file holding byte `offset`, or undefined. */
  findFile(offset: number): StoreFile | undefined {
    const first = this.files[0];
    if (first === undefined || offset < first.fileFromOffset) return undefined;
    return this.files[Math.floor((offset - first.fileFromOffset) / this.fileSizeBytes)];
  }

  /** Creates the file starting at `fileFromOffset`, which must follow the last one. */
  createFile(fileFromOffset: number): StoreFile {
    const last = this.last();
    assert.ok(fileFromOffset % this.fileSizeBytes === 0, 'file offset must be aligned');
    assert.ok(last === undefined || last.fileEndOffset === fileFromOffset, 'files must be contiguous');
    fs.mkdirSync(this.dirPath, { recursive: true });
    const file = StoreFile.create(this.dirPath, fileFromOffset, this.fileSizeBytes, this.handles, this.mappingBudget);
    this.files.push(file);
    return file;
  }

  /** The file for `offset`, creating it (and any missing predecessors after the last) if needed. */
  fileForWrite(offset: number): StoreFile {
    const existing = this.findFile(offset);
    if (existing !== undefined) return existing;
    const target = offset - (offset % this.fileSizeBytes);
    let next = this.last()?.fileEndOffset ?? target;
    assert.ok(next <= target, 'cannot create a file before the first one');
    let file: StoreFile | undefined;
    while (next <= target) {
      file = this.createFile(next);
      next += this.fileSizeBytes;
    }
    return file as StoreFile;
  }

  /** Deletes every file that starts at or after `offset`. */
  deleteFilesFrom(offset: number): void {
    while (this.files.length > 0 && this.last()!.fileFromOffset >= offset) this.files.pop()!.destroy();
  }

  /** Deletes the first file. */
  deleteFirstFile(): void {
    const first = this.files.shift();
    first?.destroy();
  }

  closeAll(): void {
    for (const file of this.files) file.close();
  }

  destroyAll(): void {
    for (const file of this.files) file.destroy();
    this.files.length = 0;
    fs.rmSync(this.dirPath, { recursive: true, force: true });
  }
}

// The bytes a turn's sends travel in from the main thread to a send worker (its mailbox, a
// SharedArrayBuffer: a postMessage per batch held the main thread on the port's mutex whenever the
// worker was descheduled), and the answer's shape (posted back, its buffers transferred):
//
//   batch  = storeHostLength:u8 storeHost:bytes port:int32 entry*     (count entries)
//   entry  = frameLength:int32 hostLength:uint8 host:bytes[hostLength] port:int32 frame:bytes
//
// `frame` is a request frame as FrameDecoder returns it, `host` the sending connection's address
// (BORNHOST, 4 or 16 bytes). The answer carries the encoded records in one transferred buffer and
// a slot per entry in another (send-answer-format.ts).
import type { HostAddress } from '../../codec/message/host-address';

/** Limits of one batch: frames beyond them in a turn are processed in line. */
export const BATCH_MAX_ENTRIES = 1024;
export const BATCH_MAX_BYTES = 8 * 1024 * 1024;
/** Room an encoded record may take beyond its frame's size (fixed fields, the CLUSTER property). */
export const RECORD_SLACK_BYTES = 512;

export interface SendBatchAnswer {
  seq: number;
  records: ArrayBuffer;
  /** ENTRY_BYTES per entry; empty: every entry in line */
  slots: ArrayBuffer;
}

export function entryBytes(frame: Buffer, host: HostAddress): number {
  return 4 + 1 + host.address.length + 4 + frame.length;
}

/** A worker's mailbox: control words and the bytes of one batch (STOREHOST first, then entries). */
export const MAILBOX_BYTES = BATCH_MAX_BYTES + 64 * 1024;
export const enum MailboxWord {
  STATE = 0,
  SEQ = 1,
  COUNT = 2,
  BYTES = 3,
}
export const MAILBOX_EMPTY = 0;
export const MAILBOX_FULL = 1;
export const MAILBOX_STOP = 2;

/** Packs STOREHOST and `frames` (with their born hosts) into `view`; returns the bytes written. */
export function packBatch(view: Buffer, storeHost: HostAddress, frames: Buffer[], hosts: HostAddress[]): number {
  let at = view.writeUInt8(storeHost.address.length, 0);
  at += storeHost.address.copy(view, at);
  at = view.writeInt32BE(storeHost.port, at);
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i];
    const host = hosts[i];
    at = view.writeInt32BE(frame.length, at);
    at = view.writeUInt8(host.address.length, at);
    at += host.address.copy(view, at);
    at = view.writeInt32BE(host.port, at);
    at += frame.copy(view, at);
  }
  return at;
}

/** The STOREHOST of a packed batch and where its entries start. */
export function batchStoreHost(view: Buffer): { storeHost: HostAddress; entriesAt: number } {
  const length = view.readUInt8(0);
  return { storeHost: { address: Buffer.from(view.subarray(1, 1 + length)), port: view.readInt32BE(1 + length) }, entriesAt: 5 + length };
}

/** Calls `each` with every entry of a packed batch, from `at`. */
export function forEachEntry(view: Buffer, at: number, count: number, each: (frame: Buffer, host: HostAddress) => void): void {
  for (let i = 0; i < count; i++) {
    const frameLength = view.readInt32BE(at);
    const hostLength = view.readUInt8(at + 4);
    const address = view.subarray(at + 5, at + 5 + hostLength);
    const port = view.readInt32BE(at + 5 + hostLength);
    at += 9 + hostLength;
    each(view.subarray(at, at + frameLength), { address, port });
    at += frameLength;
  }
}

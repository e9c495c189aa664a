// The bytes a turn's sends travel in from the main thread to a send worker (one transferred
// ArrayBuffer per batch), and the answer's shape:
//
//   batch  = entry*                      (count entries)
//   entry  = frameLength:int32 hostLength:uint8 host:bytes[hostLength] port:int32 frame:bytes
//
// `frame` is a request frame as FrameDecoder returns it, `host` the sending connection's address
// (BORNHOST, 4 or 16 bytes). The answer carries the encoded records in one transferred buffer and
// a slot per entry in another (send-answer-format.ts).
import type { HostAddress } from '../../codec/message/host-address';

/** Limits of one batch: a turn with more is split. */
export const BATCH_MAX_ENTRIES = 1024;
export const BATCH_MAX_BYTES = 8 * 1024 * 1024;
/** Room an encoded record may take beyond its frame's size (fixed fields, the CLUSTER property). */
export const RECORD_SLACK_BYTES = 512;

export interface SendBatch {
  seq: number;
  count: number;
  bytes: ArrayBuffer;
  /** STOREHOST: address bytes as numbers (a Buffer would clone its whole pool slab) */
  storeHost: { address: number[]; port: number };
}

export interface SendBatchAnswer {
  seq: number;
  records: ArrayBuffer;
  /** ENTRY_BYTES per entry; empty: every entry in line */
  slots: ArrayBuffer;
}

export function entryBytes(frame: Buffer, host: HostAddress): number {
  return 4 + 1 + host.address.length + 4 + frame.length;
}

/** Packs `frames` (with their born hosts) into one new ArrayBuffer. */
export function packBatch(frames: Buffer[], hosts: HostAddress[], totalBytes: number): ArrayBuffer {
  const bytes = new ArrayBuffer(totalBytes);
  const view = Buffer.from(bytes);
  let at = 0;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i];
    const host = hosts[i];
    at = view.writeInt32BE(frame.length, at);
    at = view.writeUInt8(host.address.length, at);
    at += host.address.copy(view, at);
    at = view.writeInt32BE(host.port, at);
    at += frame.copy(view, at);
  }
  if (at !== totalBytes) throw new Error(`batch packed ${at} of ${totalBytes} bytes`);
  return bytes;
}

/** Calls `each` with every entry of a packed batch. */
export function forEachEntry(
  bytes: ArrayBuffer,
  count: number,
  each: (frame: Buffer, host: HostAddress) => void,
): void {
  const view = Buffer.from(bytes);
  let at = 0;
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

// The request code of a frame without decoding its header: the ROCKETMQ binary header starts with
// it (int16), and a JSON header written by fastjson (the Java client, sorted bean fields) starts
// with `{"code":`. Anything else answers -1: the caller then decodes the frame as usual.
import { SerializeType } from './remoting-command-model';

const JSON_CODE_PREFIX = Buffer.from('{"code":', 'latin1');
const DIGIT_0 = 0x30;
const MAX_CODE_DIGITS = 6;

/** `frame` as FrameDecoder returns it (no length prefix). */
export function peekRequestCode(frame: Buffer): number {
  if (frame.length < 4 + 2) return -1;
  const serializeType = frame[0];
  if (serializeType === SerializeType.ROCKETMQ) return frame.readInt16BE(4);
  if (serializeType !== SerializeType.JSON) return -1;
  const headerEnd = Math.min(frame.length, 4 + frame.readUIntBE(1, 3));
  let at = 4 + JSON_CODE_PREFIX.length;
  if (at + 1 >= headerEnd || frame.compare(JSON_CODE_PREFIX, 0, JSON_CODE_PREFIX.length, 4, at) !== 0) return -1;
  let code = 0;
  const digitsEnd = Math.min(headerEnd, at + MAX_CODE_DIGITS);
  const first = at;
  for (; at < digitsEnd; at++) {
    const digit = frame[at] - DIGIT_0;
    if (digit < 0 || digit > 9) break;
    code = code * 10 + digit;
  }
  if (at === first || at >= headerEnd || (frame[at] !== 0x2c && frame[at] !== 0x7d)) return -1; // ',' or '}'
  return code;
}

// ROCKETMQ binary header (serializeType 1), RocketMQSerializable in 4.7.1:
//
//   header     = code:int16 language:uint8 version:int16 opaque:int32 flag:int32
//                remarkLength:int32 remark:utf8[remarkLength]
//                extLength:int32 extField*            (extLength bytes in all)
//   extField   = keyLength:int16 key:utf8 valueLength:int32 value:utf8
//
// remarkLength is 0 for a null or empty remark; extLength is 0 for a null or empty map, which
// decodes as null. Entries are written in java.util.HashMap order.
import { CodecError } from './codec-error';
import { javaHashMapOrder } from './java-hash';
import { languageFromByte, languageToByte } from './language-code';
import type { ExtFields, RemotingCommand } from './remoting-command-model';

const FIXED_BYTES = 2 + 1 + 2 + 4 + 4 + 4 + 4;

export function encodeRocketmqHeader(command: RemotingCommand): Buffer {
  const remark = command.remark ? Buffer.from(command.remark, 'utf8') : undefined;
  const entries: [Buffer, Buffer][] = [];
  let extLength = 0;
  if (command.extFields !== undefined) {
    for (const key of javaHashMapOrder(Object.keys(command.extFields))) {
      const value = command.extFields[key];
      if (value === undefined || value === null) continue;
      const entry: [Buffer, Buffer] = [Buffer.from(key, 'utf8'), Buffer.from(String(value), 'utf8')];
      entries.push(entry);
      extLength += 2 + entry[0].length + 4 + entry[1].length;
    }
  }
  const header = Buffer.allocUnsafe(FIXED_BYTES + (remark?.length ?? 0) + extLength);
  let position = header.writeInt16BE(command.code, 0);
  position = header.writeUInt8(languageToByte(command.language), position);
  position = header.writeInt16BE(command.version, position);
  position = header.writeInt32BE(command.opaque, position);
  position = header.writeInt32BE(command.flag, position);
  position = header.writeInt32BE(remark?.length ?? 0, position);
  if (remark !== undefined) position += remark.copy(header, position);
  position = header.writeInt32BE(extLength, position);
  for (const [key, value] of entries) {
    position = header.writeInt16BE(key.length, position);
    position += key.copy(header, position);
    position = header.writeInt32BE(value.length, position);
    position += value.copy(header, position);
  }
  return header;
}

function need(header: Buffer, position: number, sizeBytes: number, what: string): void {
  if (sizeBytes < 0 || position + sizeBytes > header.length) {
    throw new CodecError(`ROCKETMQ header: ${what} of ${sizeBytes} bytes runs past the header end`, position);
  }
}

function decodeExtFields(header: Buffer, start: number, end: number): ExtFields {
  const extFields: ExtFields = {};
  let position = start;
  while (position < end) {
    need(header, position, 2, 'key length');
    const keyLength = header.readInt16BE(position);
    position += 2;
    need(header, position, keyLength, 'key');
    const key = header.toString('utf8', position, position + keyLength);
    position += keyLength;
    need(header, position, 4, 'value length');
    const valueLength = header.readInt32BE(position);
    position += 4;
    need(header, position, valueLength, 'value');
    extFields[key] = header.toString('utf8', position, position + valueLength);
    position += valueLength;
  }
  if (position !== end) throw new CodecError('ROCKETMQ header: extFields overrun their length', position);
  return extFields;
}

export function decodeRocketmqHeader(header: Buffer): RemotingCommand {
  need(header, 0, FIXED_BYTES - 4, 'fixed part');
  const code = header.readInt16BE(0);
  const language = languageFromByte(header.readUInt8(2), 2);
  const version = header.readInt16BE(3);
  const opaque = header.readInt32BE(5);
  const flag = header.readInt32BE(9);
  const remarkLength = header.readInt32BE(13);
  let position = 17;
  need(header, position, remarkLength, 'remark');
  const remark = remarkLength > 0 ? header.toString('utf8', position, position + remarkLength) : undefined;
  position += remarkLength;
  need(header, position, 4, 'extFields length');
  const extLength = header.readInt32BE(position);
  position += 4;
  need(header, position, extLength, 'extFields');
  const extFields = extLength > 0 ? decodeExtFields(header, position, position + extLength) : undefined;
  return { code, language, version, opaque, flag, remark, extFields, serializeType: 1 };
}

// The body of SEND_BATCH_MESSAGE (Java MessageDecoder.encodeMessages / decodeMessages):
//
//   batch   = 1*element
//   element = TOTALSIZE:int32 MAGICCODE:int32 (0) BODYCRC:int32 (0) FLAG:int32
//             BODYLENGTH:int32 BODY:bytes PROPERTIESLENGTH:int16 PROPERTIES:utf8
//
//   TOTALSIZE = 4+4+4+4+4 + BODYLENGTH + 2 + PROPERTIESLENGTH (the element including itself).
//   MAGICCODE and BODYCRC are written as 0 by the client and ignored by the broker, which
//   computes the stored BODYCRC itself. PROPERTIES is the element's own properties string.
import { MessageCodecError } from './message-codec-error';
import { MAX_PROPERTIES_BYTES } from './message-record-layout';

export interface BatchElement {
  flag: number;
  body: Buffer;
  propertiesString: string;
}

/** TOTALSIZE + MAGICCODE + BODYCRC + FLAG + BODYLENGTH. */
const ELEMENT_HEAD_BYTES = 20;
/** The smallest element: empty body and no properties. */
const MIN_ELEMENT_BYTES = ELEMENT_HEAD_BYTES + 2;

function fail(reason: string, position: number, detail: string): never {
  throw new MessageCodecError(reason, position, detail);
}

function decodeElement(source: Buffer, position: number): { element: BatchElement; end: number } {
  const available = source.length - position;
  if (available < MIN_ELEMENT_BYTES) fail('truncated', position, `${available} bytes left`);
  const sizeBytes = source.readInt32BE(position);
  if (sizeBytes < MIN_ELEMENT_BYTES) fail('bad-length', position, `TOTALSIZE ${sizeBytes}`);
  if (sizeBytes > available) fail('truncated', position, `TOTALSIZE ${sizeBytes} > ${available}`);
  const end = position + sizeBytes;
  const flag = source.readInt32BE(position + 12);
  const bodySizeBytes = source.readInt32BE(position + 16);
  const bodyStart = position + ELEMENT_HEAD_BYTES;
  if (bodySizeBytes < 0 || bodyStart + bodySizeBytes + 2 > end) {
    fail('bad-length', position + 16, `BODYLENGTH ${bodySizeBytes}`);
  }
  const propertiesLengthAt = bodyStart + bodySizeBytes;
  const propertiesSizeBytes = source.readInt16BE(propertiesLengthAt);
  if (propertiesLengthAt + 2 + propertiesSizeBytes !== end) {
    fail('bad-length', propertiesLengthAt, `PROPERTIESLENGTH ${propertiesSizeBytes} vs TOTALSIZE`);
  }
  const element: BatchElement = {
    flag,
    body: Buffer.from(source.subarray(bodyStart, propertiesLengthAt)),
    propertiesString: source.toString('utf8', propertiesLengthAt + 2, end),
  };
  return { element, end };
}

/**
 * Decodes a whole batch body. Throws MessageCodecError on an empty body, a truncated element, or
 * lengths that disagree with TOTALSIZE. Bodies are copied out of `source`.
 */
export function decodeMessageBatch(source: Buffer): BatchElement[] {
  if (source.length === 0) fail('empty', 0, 'batch body has no elements');
  const elements: BatchElement[] = [];
  let position = 0;
  while (position < source.length) {
    const { element, end } = decodeElement(source, position);
    elements.push(element);
    position = end;
  }
  return elements;
}

/** Java MessageDecoder.encodeMessages (used by tests and tools). */
export function encodeMessageBatch(elements: readonly BatchElement[]): Buffer {
  const parts = elements.map((element) => {
    const properties = Buffer.from(element.propertiesString, 'utf8');
    if (properties.length > MAX_PROPERTIES_BYTES) {
      throw new RangeError(`properties are ${properties.length} bytes`);
    }
    const sizeBytes = MIN_ELEMENT_BYTES + element.body.length + properties.length;
    const part = Buffer.alloc(sizeBytes);
    part.writeInt32BE(sizeBytes, 0);
    part.writeInt32BE(element.flag, 12);
    part.writeInt32BE(element.body.length, 16);
    element.body.copy(part, ELEMENT_HEAD_BYTES);
    part.writeInt16BE(properties.length, ELEMENT_HEAD_BYTES + element.body.length);
    properties.copy(part, MIN_ELEMENT_BYTES + element.body.length);
    return part;
  });
  return Buffer.concat(parts);
}

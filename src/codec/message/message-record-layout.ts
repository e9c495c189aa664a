// Byte positions inside a stored message record (Java CommitLog / MessageDecoder, 4.7.1).
//
//   record = TOTALSIZE:int32 MAGICCODE:int32 BODYCRC:int32 QUEUEID:int32 FLAG:int32
//            QUEUEOFFSET:int64 PHYSICALOFFSET:int64 SYSFLAG:int32 BORNTIMESTAMP:int64
//            BORNHOST:(4|16 bytes + int32 port) STORETIMESTAMP:int64
//            STOREHOST:(4|16 bytes + int32 port) RECONSUMETIMES:int32
//            PREPAREDTRANSACTIONOFFSET:int64
//            BODYLENGTH:int32 BODY:bytes TOPICLENGTH:int8 TOPIC:utf8 PROPERTIESLENGTH:int16 PROPERTIES:utf8
//
// Everything up to BORNHOST sits at fixed positions; from STORETIMESTAMP on, positions shift by 12
// for each IPv6 host (SYSFLAG bits 0x10 and 0x20). All integers are big-endian.
import { isBornHostV6, isStoreHostV6 } from './message-sys-flag';

/** MAGICCODE of a message record (Java MESSAGE_MAGIC_CODE = -626843481). */
export const MESSAGE_MAGIC_CODE = 0xdaa320a7 | 0;
/** MAGICCODE of the end-of-segment filler (Java BLANK_MAGIC_CODE = -875286124). */
export const BLANK_MAGIC_CODE = 0xcbd43194 | 0;
/** A segment keeps at least this many bytes free for the blank filler (TOTALSIZE + MAGICCODE). */
export const END_FILE_MIN_BLANK_LENGTH = 8;

export const TOTALSIZE_POSITION = 0;
export const MAGICCODE_POSITION = 4;
export const BODYCRC_POSITION = 8;
export const QUEUEID_POSITION = 12;
export const FLAG_POSITION = 16;
export const QUEUEOFFSET_POSITION = 20;
/** Java MessageDecoder.MESSAGE_PHYSIC_OFFSET_POSTION. */
export const PHYSICALOFFSET_POSITION = 28;
/** Java MessageDecoder.SYSFLAG_POSITION. */
export const SYSFLAG_POSITION = 36;
export const BORNTIMESTAMP_POSITION = 40;
export const BORNHOST_POSITION = 48;

/** Address bytes + 4 port bytes. */
export const HOST_V4_SIZE_BYTES = 4 + 4;
export const HOST_V6_SIZE_BYTES = 16 + 4;

/** Bytes of a record with empty body, topic and properties and IPv4 hosts (84 + 4 + 1 + 2). */
export const MIN_RECORD_SIZE_BYTES = 91;
/** TOPICLENGTH is a signed byte. */
export const MAX_TOPIC_BYTES = 127;
/** PROPERTIESLENGTH is a signed short. */
export const MAX_PROPERTIES_BYTES = 32767;

/** Positions of the fields that move with the host layout, for one SYSFLAG value. */
export interface RecordLayout {
  bornHostSizeBytes: number;
  storeTimestampPosition: number;
  storeHostPosition: number;
  storeHostSizeBytes: number;
  reconsumeTimesPosition: number;
  preparedTransactionOffsetPosition: number;
  bodyLengthPosition: number;
}

function buildLayout(sysFlag: number): RecordLayout {
  const bornHostSizeBytes = isBornHostV6(sysFlag) ? HOST_V6_SIZE_BYTES : HOST_V4_SIZE_BYTES;
  const storeHostSizeBytes = isStoreHostV6(sysFlag) ? HOST_V6_SIZE_BYTES : HOST_V4_SIZE_BYTES;
  const storeTimestampPosition = BORNHOST_POSITION + bornHostSizeBytes;
  const storeHostPosition = storeTimestampPosition + 8;
  const reconsumeTimesPosition = storeHostPosition + storeHostSizeBytes;
  const preparedTransactionOffsetPosition = reconsumeTimesPosition + 4;
  const bodyLengthPosition = preparedTransactionOffsetPosition + 8;
  return {
    bornHostSizeBytes,
    storeTimestampPosition,
    storeHostPosition,
    storeHostSizeBytes,
    reconsumeTimesPosition,
    preparedTransactionOffsetPosition,
    bodyLengthPosition,
  };
}

// Only the two host bits matter, so four layouts cover every SYSFLAG.
const LAYOUTS: readonly RecordLayout[] = [0x00, 0x10, 0x20, 0x30].map(buildLayout);

/** The field positions for records with this SYSFLAG. */
export function recordLayout(sysFlag: number): RecordLayout {
  return LAYOUTS[(sysFlag >> 4) & 0x3];
}

/** Java CommitLog.calMsgLength: the TOTALSIZE of a record with these field lengths. */
export function messageRecordSize(
  sysFlag: number,
  bodySizeBytes: number,
  topicSizeBytes: number,
  propertiesSizeBytes: number,
): number {
  const layout = recordLayout(sysFlag);
  return layout.bodyLengthPosition + 4 + bodySizeBytes + 1 + topicSizeBytes + 2 + propertiesSizeBytes;
}

/** STORETIMESTAMP position for this SYSFLAG (56 with an IPv4 born host, 68 with IPv6). */
export function storeTimestampPosition(sysFlag: number): number {
  return recordLayout(sysFlag).storeTimestampPosition;
}

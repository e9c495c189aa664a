// The writer's patch of a record encoded elsewhere (a send worker): SYSFLAG, QUEUEOFFSET,
// PHYSICALOFFSET and STORETIMESTAMP, the fields only the ordered writer can know. SYSFLAG may only
// differ from the encoded one in bits that do not move fields (not the host-layout bits 0x10/0x20).
import assert from 'node:assert';
import { writeInt64BE } from './buffer-int64';
import {
  PHYSICALOFFSET_POSITION,
  QUEUEOFFSET_POSITION,
  SYSFLAG_POSITION,
  TOTALSIZE_POSITION,
  storeTimestampPosition,
} from './message-record-layout';

const HOST_LAYOUT_BITS = 0x10 | 0x20;

export function patchMessageRecord(
  target: Buffer,
  position: number,
  sysFlag: number,
  queueOffset: number,
  physicalOffset: number,
  storeTimestampMs: number,
): void {
  const encodedSysFlag = target.readInt32BE(position + SYSFLAG_POSITION);
  assert.strictEqual(
    encodedSysFlag & HOST_LAYOUT_BITS,
    sysFlag & HOST_LAYOUT_BITS,
    'patch may not change the record layout',
  );
  assert.ok(target.readInt32BE(position + TOTALSIZE_POSITION) > 0, 'no record at the patch position');
  target.writeInt32BE(sysFlag, position + SYSFLAG_POSITION);
  writeInt64BE(target, queueOffset, position + QUEUEOFFSET_POSITION);
  writeInt64BE(target, physicalOffset, position + PHYSICALOFFSET_POSITION);
  writeInt64BE(target, storeTimestampMs, position + storeTimestampPosition(sysFlag));
}

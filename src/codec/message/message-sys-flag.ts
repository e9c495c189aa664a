// The SYSFLAG field of a stored record (Java org.apache.rocketmq.common.sysflag.MessageSysFlag).
//
//   bit 0  0x01  COMPRESSED_FLAG            body is zlib-compressed by the producer
//   bit 1  0x02  MULTI_TAGS_FLAG
//   bits 2-3     transaction type: 0x0 NOT, 0x4 PREPARED, 0x8 COMMIT, 0xC ROLLBACK
//   bit 4  0x10  BORNHOST_V6_FLAG           BORNHOST is 16+4 bytes instead of 4+4
//   bit 5  0x20  STOREHOSTADDRESS_V6_FLAG   STOREHOST is 16+4 bytes instead of 4+4

export const MessageSysFlag = {
  COMPRESSED_FLAG: 0x1,
  MULTI_TAGS_FLAG: 0x2,
  TRANSACTION_NOT_TYPE: 0x0,
  TRANSACTION_PREPARED_TYPE: 0x4,
  TRANSACTION_COMMIT_TYPE: 0x8,
  TRANSACTION_ROLLBACK_TYPE: 0xc,
  BORNHOST_V6_FLAG: 0x10,
  STOREHOSTADDRESS_V6_FLAG: 0x20,
} as const;

const TRANSACTION_MASK = 0xc;

/** Java getTransactionValue: the transaction type bits (0, 4, 8 or 12). */
export function getTransactionValue(sysFlag: number): number {
  return sysFlag & TRANSACTION_MASK;
}

/** Java resetTransactionValue: replaces the transaction type bits with `type`. */
export function resetTransactionValue(sysFlag: number, type: number): number {
  return (sysFlag & ~TRANSACTION_MASK) | (type & TRANSACTION_MASK);
}

/**
 * PREPARED and ROLLBACK records are stored with QUEUEOFFSET 0 and never reach a consume queue;
 * NOT and COMMIT records are dispatched (CommitLog.doAppend / DispatchRequest in Java).
 */
export function isDispatchedToConsumeQueue(sysFlag: number): boolean {
  const type = sysFlag & TRANSACTION_MASK;
  return type === MessageSysFlag.TRANSACTION_NOT_TYPE || type === MessageSysFlag.TRANSACTION_COMMIT_TYPE;
}

export function isBornHostV6(sysFlag: number): boolean {
  return (sysFlag & MessageSysFlag.BORNHOST_V6_FLAG) !== 0;
}

export function isStoreHostV6(sysFlag: number): boolean {
  return (sysFlag & MessageSysFlag.STOREHOSTADDRESS_V6_FLAG) !== 0;
}

/** Sets or clears the two host-layout bits to match the given address lengths. */
export function withHostFlags(sysFlag: number, bornHostV6: boolean, storeHostV6: boolean): number {
  let flag = sysFlag & ~(MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG);
  if (bornHostV6) flag |= MessageSysFlag.BORNHOST_V6_FLAG;
  if (storeHostV6) flag |= MessageSysFlag.STOREHOSTADDRESS_V6_FLAG;
  return flag;
}

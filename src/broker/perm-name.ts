// PermName: the permission bits of topics and brokers.
export const PermName = {
  PERM_PRIORITY: 8,
  PERM_READ: 4,
  PERM_WRITE: 2,
  PERM_INHERIT: 1,
} as const;

export function isReadable(perm: number): boolean {
  return (perm & PermName.PERM_READ) !== 0;
}

export function isWriteable(perm: number): boolean {
  return (perm & PermName.PERM_WRITE) !== 0;
}

export function isInherited(perm: number): boolean {
  return (perm & PermName.PERM_INHERIT) !== 0;
}

/** PermName.perm2String: "RWX" style, e.g. 6 → "RW-", 7 → "RWX". */
export function perm2String(perm: number): string {
  return (isReadable(perm) ? 'R' : '-') + (isWriteable(perm) ? 'W' : '-') + (isInherited(perm) ? 'X' : '-');
}

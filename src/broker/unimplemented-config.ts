// Java 4.7.1 config keys that change what the broker promises (access control, the store's layout
// or crash safety) and that this broker does not implement yet. A broker.conf that sets one to
// anything but Java's default must not start: an operator who turns one on must never get a broker
// that silently ignores it. (Roles and replication, brokerRole and haMasterAddress, and aclEnable
// were here until master/slave replication and plain ACL were implemented.)
// UPDATE_BROKER_CONFIG refuses the same values (keeps the old one, as Java does for a bad value),
// so no admin command can persist a file the next start would refuse.

interface SafetyKey {
  /** The values that mean "off" (compared trimmed; Java's Boolean.parseBoolean for flags). */
  readonly accepted: readonly string[];
  /** What the key turns on, for the error. */
  readonly feature: string;
}

const FLAG_OFF: readonly string[] = ['false'];

const SAFETY_KEYS: Readonly<Record<string, SafetyKey>> = {
  enableDLegerCommitLog: { accepted: FLAG_OFF, feature: 'the DLedger commit log' },
  duplicationEnable: { accepted: FLAG_OFF, feature: 'commit-log duplication' },
  enableConsumeQueueExt: { accepted: FLAG_OFF, feature: 'consume-queue ext files' },
  messageIndexSafe: { accepted: FLAG_OFF, feature: 'the index-safe recovery point' },
  useTLS: { accepted: FLAG_OFF, feature: "TLS on the broker's client connections" },
};

function isAccepted(key: SafetyKey, text: string): boolean {
  const value = text.trim();
  if (key.accepted === FLAG_OFF) return value.toLowerCase() !== 'true';
  return key.accepted.includes(value);
}

/** One line per key set to something this broker cannot honour; empty when all is well. */
export function unimplementedSafetySettings(properties: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [name, text] of properties) {
    const key = SAFETY_KEYS[name];
    if (key === undefined || isAccepted(key, text)) continue;
    problems.push(
      `${name}=${text.trim()} needs ${key.feature}, which this broker does not implement yet; ` +
        `remove the key or set it to ${key.accepted[0] === '' ? 'nothing' : key.accepted[0]}`,
    );
  }
  return problems;
}

/** The properties without the keys `unimplementedSafetySettings` objects to. */
export function withoutUnimplementedSafetySettings(properties: ReadonlyMap<string, string>): {
  kept: Map<string, string>;
  refused: string[];
} {
  const kept = new Map<string, string>();
  const refused: string[] = [];
  for (const [name, text] of properties) {
    const key = SAFETY_KEYS[name];
    if (key !== undefined && !isAccepted(key, text)) refused.push(name);
    else kept.set(name, text);
  }
  return { kept, refused };
}

/** Keys a broker.conf may carry that only matter with a feature above; accepted at their default. */
export const SAFETY_KEY_NAMES: readonly string[] = Object.keys(SAFETY_KEYS);

// Java hash functions that leak into RocketMQ's bytes on the wire and on disk.
//
// - String.hashCode(): the consume queue's tagsCode, the index file's key hash, the client's
//   SubscriptionData.codeSet, and the bucket order of java.util.HashMap (which decides the order
//   of extFields in every header Java writes).

/** Java's String.hashCode() over UTF-16 code units, as a signed 32-bit integer. */
export function javaStringHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) {
    hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  }
  return hash;
}

/** Java's HashMap.hash(key): the hash code with its high half folded into the low half. */
function spreadHash(hashCode: number): number {
  return hashCode ^ (hashCode >>> 16);
}

/** Table size a java.util.HashMap with default settings has after `size` insertions. */
function hashMapCapacity(size: number, initialCapacity: number): number {
  let capacity = initialCapacity;
  while (size > capacity * 0.75) capacity *= 2;
  return capacity;
}

const orderCache = new Map<string, string[]>();
const ORDER_CACHE_MAX = 1024;

/**
 * The iteration order of a java.util.HashMap<String, ?> filled with `keys` in this order
 * (`initialCapacity`: a power of two, as `new HashMap<>(1024)` tables are).
 * Buckets are visited in index order; keys sharing a bucket keep insertion order (true for
 * chains; trees only appear past 8 collisions in one bucket, which header maps never reach).
 */
export function javaHashMapOrder(keys: readonly string[], initialCapacity = 16): string[] {
  if (!(initialCapacity >= 16 && (initialCapacity & (initialCapacity - 1)) === 0))
    throw new Error(`bad HashMap capacity ${initialCapacity}`);
  // Length-prefixed, so no two key lists share a cache key ([] and [''], ['a\u0000b'] and ['a','b']).
  let cacheKey = `${initialCapacity}/`;
  for (const key of keys) cacheKey += `${key.length}:${key}`;
  const cached = orderCache.get(cacheKey);
  if (cached !== undefined) return [...cached];
  const mask = hashMapCapacity(keys.length, initialCapacity) - 1;
  const ordered = keys
    .map((key, insertion) => ({ key, insertion, bucket: spreadHash(javaStringHashCode(key)) & mask }))
    .sort((a, b) => a.bucket - b.bucket || a.insertion - b.insertion)
    .map((entry) => entry.key);
  if (orderCache.size >= ORDER_CACHE_MAX) orderCache.clear();
  orderCache.set(cacheKey, ordered);
  return [...ordered];
}

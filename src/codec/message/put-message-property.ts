// Java's send path on a client's properties string (SendMessageProcessor, ReplyMessageProcessor,
// TransactionalMessageBridge.parseHalfMessageInner):
//
//   map = string2messageProperties(text); map.put(name, value); text' = messageProperties2String(map)
//
// so malformed items are dropped, a repeated name keeps its last value (at its first place), and
// the entries come out in java.util.HashMap's iteration order, each with its trailing %x02. A client
// from 4.9 on writes the last entry without %x02; the result is the same either way.
//
// This runs on every send, so the common case (every item `name %x01 value`, non-empty, no name
// twice) reuses the output order computed for the same sequence of names.

import { javaHashMapOrder } from '../java-hash';
import { decodeMessageProperties, NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR } from './message-properties';

/** Item indices in output order for one sequence of names; the added entry is index `names.length`. */
const orderBySignature = new Map<string, readonly number[]>();
const ORDER_CACHE_MAX = 1024;
/** Strings with more items than this take the general path (no cache entry per shape). */
const FAST_PATH_ITEMS_MAX = 64;

export function putMessageProperty(text: string, name: string, value: string): string {
  const names: string[] = [];
  const values: string[] = [];
  if (!splitSimpleItems(text, names, values)) return putGeneral(text, name, value);
  let signature = name;
  for (const itemName of names) signature += NAME_VALUE_SEPARATOR + itemName;
  let order = orderBySignature.get(signature);
  if (order === undefined) {
    if (new Set([...names, name]).size !== names.length + 1) return putGeneral(text, name, value);
    const keys = [...names, name];
    const position = new Map(keys.map((key, index) => [key, index]));
    order = javaHashMapOrder(keys).map((key) => position.get(key)!);
    if (orderBySignature.size >= ORDER_CACHE_MAX) orderBySignature.clear();
    orderBySignature.set(signature, order);
  }
  names.push(name);
  values.push(value);
  let out = '';
  for (const index of order) out += names[index] + NAME_VALUE_SEPARATOR + values[index] + PROPERTY_SEPARATOR;
  return out;
}

/**
 * Splits `text` into names and values when every item is `name %x01 value` with both non-empty
 * and no further %x01 (the last item may lack its %x02); false for anything else.
 */
function splitSimpleItems(text: string, names: string[], values: string[]): boolean {
  let itemStart = 0;
  while (itemStart < text.length) {
    if (names.length >= FAST_PATH_ITEMS_MAX) return false;
    let itemEnd = text.indexOf(PROPERTY_SEPARATOR, itemStart);
    if (itemEnd < 0) itemEnd = text.length;
    const separator = text.indexOf(NAME_VALUE_SEPARATOR, itemStart);
    if (separator <= itemStart || separator >= itemEnd - 1) return false;
    const value = text.slice(separator + 1, itemEnd);
    if (value.includes(NAME_VALUE_SEPARATOR)) return false;
    names.push(text.slice(itemStart, separator));
    values.push(value);
    itemStart = itemEnd + 1;
  }
  return true;
}

function putGeneral(text: string, name: string, value: string): string {
  const properties = decodeMessageProperties(text);
  properties.set(name, value);
  let out = '';
  for (const key of javaHashMapOrder([...properties.keys()])) {
    out += key + NAME_VALUE_SEPARATOR + properties.get(key) + PROPERTY_SEPARATOR;
  }
  return out;
}

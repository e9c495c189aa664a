// SubscriptionData as the client sends it in HEART_BEAT and the broker builds it from a pull's
// `subscription` expression (FilterAPI.buildSubscriptionData):
//   {"classFilterMode":false,"codeSet":[97,98],"expressionType":"TAG","subString":"a || b",
//    "subVersion":1600000000000,"tagsSet":["a","b"],"topic":"T"}
import type { FastjsonValue } from '../codec/fastjson-parse';
import { javaStringHashCode } from '../codec/java-hash';

export const SUB_ALL = '*';

export interface SubscriptionData {
  topic: string;
  subString: string;
  tagsSet: string[];
  codeSet: number[];
  subVersion: number;
  expressionType: string;
  classFilterMode: boolean;
  filterClassSource?: string;
}

/** Builds the TAG subscription for `subString` ("*", "" or "a || b"). */
export function buildSubscriptionData(
  topic: string,
  subString: string | undefined,
  expressionType = 'TAG',
  subVersion = Date.now(),
): SubscriptionData {
  const expression = subString === undefined || subString.trim() === '' ? SUB_ALL : subString.trim();
  const data: SubscriptionData = {
    topic,
    subString: expression,
    tagsSet: [],
    codeSet: [],
    subVersion,
    expressionType,
    classFilterMode: false,
  };
  if (expressionType !== 'TAG' || expression === SUB_ALL) return data;
  for (const tag of expression.split('||').map((part) => part.trim())) {
    if (tag === '' || data.tagsSet.includes(tag)) continue;
    data.tagsSet.push(tag);
    data.codeSet.push(javaStringHashCode(tag));
  }
  return data;
}

export function subscriptionDataFromJson(value: FastjsonValue): SubscriptionData {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Map) {
    throw new Error('SubscriptionData is not an object');
  }
  const topic = String(value.topic ?? '');
  const expressionType = typeof value.expressionType === 'string' ? value.expressionType : 'TAG';
  const data = buildSubscriptionData(
    topic,
    typeof value.subString === 'string' ? value.subString : SUB_ALL,
    expressionType,
    Number(value.subVersion ?? 0),
  );
  if (Array.isArray(value.tagsSet)) data.tagsSet = value.tagsSet.map(String);
  if (Array.isArray(value.codeSet)) data.codeSet = value.codeSet.map(Number);
  data.classFilterMode = value.classFilterMode === true;
  if (typeof value.filterClassSource === 'string') data.filterClassSource = value.filterClassSource;
  return data;
}

/** The broker-side tag check on a consume-queue tagsCode (the client re-checks by string). */
export function tagFilter(subscription: SubscriptionData | undefined): ((tagsCode: number) => boolean) | undefined {
  if (subscription === undefined || subscription.classFilterMode) return undefined;
  if (subscription.expressionType !== 'TAG' || subscription.subString === SUB_ALL) return undefined;
  const codes = new Set(subscription.codeSet);
  return (tagsCode: number) => codes.has(tagsCode | 0);
}

export function sameSubscription(a: SubscriptionData, b: SubscriptionData): boolean {
  return a.subString === b.subString && a.expressionType === b.expressionType && a.subVersion === b.subVersion;
}

// HeartbeatData (HEART_BEAT 34 body), decoded tolerantly:
//   {"clientID":"ip@instance","consumerDataSet":[{"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET",
//    "consumeType":"CONSUME_PASSIVELY","groupName":"cg","messageModel":"CLUSTERING",
//    "subscriptionDataSet":[SubscriptionData],"unitMode":false}],"producerDataSet":[{"groupName":"pg"}]}
import { parseFastjson, type FastjsonValue } from '../codec/fastjson-parse';
import { type SubscriptionData, subscriptionDataFromJson } from './subscription-data';

export interface ConsumerData {
  groupName: string;
  consumeType: string;
  messageModel: string;
  consumeFromWhere: string;
  subscriptionDataSet: SubscriptionData[];
  unitMode: boolean;
}

export interface HeartbeatData {
  clientID: string;
  producerDataSet: { groupName: string }[];
  consumerDataSet: ConsumerData[];
}

const CONSUME_TYPES = ['CONSUME_ACTIVELY', 'CONSUME_PASSIVELY'];
const MESSAGE_MODELS = ['BROADCASTING', 'CLUSTERING'];

function asObject(value: FastjsonValue | undefined, what: string): Record<string, FastjsonValue> {
  if (
    value === null ||
    value === undefined ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    value instanceof Map
  ) {
    throw new Error(`HeartbeatData: ${what} is not an object`);
  }
  return value;
}

function enumName(value: FastjsonValue | undefined, names: string[], fallback: string): string {
  if (typeof value === 'number') return names[value] ?? fallback;
  return typeof value === 'string' ? value : fallback;
}

function asArray(value: FastjsonValue | undefined): FastjsonValue[] {
  return Array.isArray(value) ? value : [];
}

function decodeConsumerData(value: FastjsonValue): ConsumerData {
  const fields = asObject(value, 'consumerData');
  if (typeof fields.groupName !== 'string' || fields.groupName === '')
    throw new Error('HeartbeatData: consumerData without groupName');
  return {
    groupName: fields.groupName,
    consumeType: enumName(fields.consumeType, CONSUME_TYPES, 'CONSUME_PASSIVELY'),
    messageModel: enumName(fields.messageModel, MESSAGE_MODELS, 'CLUSTERING'),
    consumeFromWhere:
      typeof fields.consumeFromWhere === 'string' ? fields.consumeFromWhere : 'CONSUME_FROM_LAST_OFFSET',
    subscriptionDataSet: asArray(fields.subscriptionDataSet).map(subscriptionDataFromJson),
    unitMode: fields.unitMode === true,
  };
}

export function decodeHeartbeatData(body: Buffer | undefined): HeartbeatData {
  if (body === undefined) throw new Error('HeartbeatData: empty body');
  const fields = asObject(parseFastjson(body), 'body');
  if (typeof fields.clientID !== 'string' || fields.clientID === '') throw new Error('HeartbeatData: missing clientID');
  return {
    clientID: fields.clientID,
    producerDataSet: asArray(fields.producerDataSet).map((producer) => ({
      groupName: String(asObject(producer, 'producerData').groupName ?? ''),
    })),
    consumerDataSet: asArray(fields.consumerDataSet).map(decodeConsumerData),
  };
}

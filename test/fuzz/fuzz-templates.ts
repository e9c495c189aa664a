// The requests the socket fuzzer mutates: what a real client, broker or mqadmin sends for each
// request, with plausible field values the fuzzer then replaces by junk one field at a time.
// Config updates only carry values that must be refused (a value a legitimate operator could set,
// such as a new listenPort, would change the servers on purpose and is not hostile input).
import { RequestCode } from '../../src/codec/request-code';
import { junkJsonValue, junkString, type Random } from './fuzz-random';
import type { Target } from './fuzz-inputs';

export interface Template {
  name: string;
  code: number;
  target: Target;
  fields(random: Random): Record<string, string>;
  body?(random: Random): Buffer;
  /** False for config updates: a flipped byte can turn a refused value into a valid new setting. */
  mutableBody?: boolean;
}

const TOPICS = [
  'FuzzTopic',
  'FuzzTopic2',
  'TBW102',
  '%RETRY%FuzzGroup',
  'SCHEDULE_TOPIC_XXXX',
  'RMQ_SYS_TRANS_HALF_TOPIC',
];
const GROUPS = ['FuzzGroup', 'FuzzGroup2', 'CID_RMQ_SYS_TRANS', 'TOOLS_CONSUMER', ''];

function topic(random: Random): string {
  return random.pick(TOPICS);
}

function group(random: Random): string {
  return random.pick(GROUPS);
}

function properties(random: Random): string {
  const parts = [
    `TAGS\u0001${random.pick(['TagA', '', '||', junkString(random)])}`,
    `KEYS\u0001k${random.int(0, 9)}`,
    'WAIT\u0001true',
  ];
  if (random.chance(0.3)) parts.push(`DELAY\u0001${random.pick(['1', '18', '19', '0', '-1', 'x'])}`);
  if (random.chance(0.2)) parts.push(`TRAN_MSG\u0001${random.pick(['true', 'false'])}`, 'PGROUP\u0001FuzzGroup');
  if (random.chance(0.1)) parts.push(`${junkString(random)}\u0001${junkString(random)}`);
  if (random.chance(0.02)) parts.push(`BIG\u0001${'v'.repeat(random.int(30_000, 70_000))}`);
  return `${parts.join('\u0002')}\u0002`;
}

function heartbeat(random: Random): Buffer {
  const subscription = () => ({
    topic: topic(random),
    subString: random.pick(['*', 'TagA || TagB', "a > 5 AND b = 'x'", junkString(random)]),
    tagsSet: random.chance(0.5) ? ['TagA'] : junkJsonValue(random, 2),
    codeSet: [random.int(-5, 5)],
    subVersion: random.pick([0, Date.now(), -1]),
    expressionType: random.pick(['TAG', 'SQL92', junkString(random)]),
    classFilterMode: false,
  });
  const data = {
    clientID: random.pick(['127.0.0.1@fuzz', junkString(random)]),
    consumerDataSet: Array.from({ length: random.int(0, 3) }, () => ({
      groupName: group(random),
      consumeType: random.pick(['CONSUME_PASSIVELY', 'CONSUME_ACTIVELY', junkString(random)]),
      messageModel: random.pick(['CLUSTERING', 'BROADCASTING', junkString(random)]),
      consumeFromWhere: random.pick(['CONSUME_FROM_LAST_OFFSET', 'CONSUME_FROM_TIMESTAMP', junkString(random)]),
      subscriptionDataSet: Array.from({ length: random.int(0, 3) }, subscription),
      unitMode: random.chance(0.1),
    })),
    producerDataSet: Array.from({ length: random.int(0, 2) }, () => ({ groupName: group(random) })),
  };
  return Buffer.from(JSON.stringify(random.chance(0.1) ? junkJsonValue(random, 4) : data));
}

const REFUSED_CONFIG = {
  listenPort: ['-1', '999999', 'abc', '1e400', ''],
  brokerIP1: ['abc', '999.1.1.1', ''],
  bindAddress: ['x', ''],
  messageDelayLevel: ['1x', '', 'abc 2s'],
  storePathRootDir: ['/nonexistent/x', ''],
  mappedFileSizeCommitLog: ['1', 'x'],
};

function configBody(random: Random, keys: Record<string, string[]>): Buffer {
  const lines: string[] = [];
  for (let i = random.int(1, 4); i > 0; i--) {
    if (random.chance(0.3)) lines.push(`${junkString(random)}=${junkString(random)}`);
    else {
      const key = random.pick(Object.keys(keys));
      lines.push(`${key}=${random.pick(keys[key])}${random.chance(0.2) ? '\nlistenPort=-5' : ''}`);
    }
  }
  return Buffer.from(lines.join(random.pick(['\n', '\r\n', '\u0000'])));
}

function registerBrokerBody(random: Random): Buffer {
  const topicConfig = {
    topicName: topic(random),
    readQueueNums: random.int(-1, 16),
    writeQueueNums: random.int(-1, 16),
    perm: random.int(0, 7),
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
  };
  return Buffer.from(
    JSON.stringify({
      topicConfigSerializeWrapper: {
        topicConfigTable: { [topicConfig.topicName]: random.chance(0.8) ? topicConfig : junkJsonValue(random, 2) },
        dataVersion: { counter: random.int(-1, 9), timestamp: Date.now() },
      },
      filterServerList: random.chance(0.9) ? [] : junkJsonValue(random, 2),
    }),
  );
}

const queueFields = (random: Random) => ({
  topic: topic(random),
  queueId: String(random.int(-1, 8)),
  consumerGroup: group(random),
});

export const TEMPLATES: readonly Template[] = [
  {
    name: 'send-v2',
    code: RequestCode.SEND_MESSAGE_V2,
    target: 'broker',
    fields: (random) => ({
      a: group(random),
      b: topic(random),
      c: 'TBW102',
      d: '4',
      e: String(random.int(-1, 8)),
      f: String(random.pick([0, 0, 4, 8, 12, 3])),
      g: String(Date.now()),
      h: '0',
      i: properties(random),
      j: String(random.int(0, 20)),
      k: 'false',
      l: '16',
      m: 'false',
    }),
    body: (random) => random.bytes(random.length(4096)),
  },
  {
    name: 'send-v1',
    code: RequestCode.SEND_MESSAGE,
    target: 'broker',
    fields: (random) => ({
      producerGroup: group(random),
      topic: topic(random),
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: '4',
      queueId: String(random.int(-1, 8)),
      sysFlag: '0',
      bornTimestamp: String(Date.now()),
      flag: '0',
      properties: properties(random),
      reconsumeTimes: '0',
      unitMode: 'false',
      batch: 'false',
    }),
    body: (random) => random.bytes(random.length(1024)),
  },
  {
    name: 'pull',
    code: RequestCode.PULL_MESSAGE,
    target: 'broker',
    fields: (random) => ({
      ...queueFields(random),
      queueOffset: String(random.int(-1, 100)),
      maxMsgNums: String(random.pick([1, 32, 0, -1, 100000])),
      sysFlag: String(random.int(0, 15) & ~0x2),
      commitOffset: String(random.int(-1, 10)),
      suspendTimeoutMillis: String(random.pick([0, 1000, 15000])),
      subscription: random.pick(['*', 'TagA', "a > 1 AND b = 'x'", junkString(random)]),
      subVersion: String(random.int(0, 3)),
      expressionType: random.pick(['TAG', 'SQL92']),
    }),
  },
  { name: 'query-offset', code: RequestCode.QUERY_CONSUMER_OFFSET, target: 'broker', fields: queueFields },
  {
    name: 'update-offset',
    code: RequestCode.UPDATE_CONSUMER_OFFSET,
    target: 'broker',
    fields: (random) => ({ ...queueFields(random), commitOffset: String(random.int(-5, 1000)) }),
  },
  {
    name: 'search-offset',
    code: RequestCode.SEARCH_OFFSET_BY_TIMESTAMP,
    target: 'broker',
    fields: (random) => ({
      topic: topic(random),
      queueId: String(random.int(-1, 8)),
      timestamp: String(random.pick([0, Date.now(), -1])),
    }),
  },
  {
    name: 'max-offset',
    code: RequestCode.GET_MAX_OFFSET,
    target: 'broker',
    fields: (random) => ({ topic: topic(random), queueId: String(random.int(-1, 8)) }),
  },
  { name: 'heartbeat', code: RequestCode.HEART_BEAT, target: 'broker', fields: () => ({}), body: heartbeat },
  {
    name: 'unregister-client',
    code: RequestCode.UNREGISTER_CLIENT,
    target: 'broker',
    fields: (random) => ({ clientID: '127.0.0.1@fuzz', producerGroup: group(random), consumerGroup: group(random) }),
  },
  {
    name: 'consumer-list',
    code: RequestCode.GET_CONSUMER_LIST_BY_GROUP,
    target: 'broker',
    fields: (random) => ({ consumerGroup: group(random) }),
  },
  {
    name: 'lock-batch',
    code: RequestCode.LOCK_BATCH_MQ,
    target: 'broker',
    fields: () => ({}),
    body: (random) =>
      Buffer.from(
        JSON.stringify({
          consumerGroup: group(random),
          clientId: 'fuzz',
          mqSet: [{ topic: topic(random), brokerName: 'broker-a', queueId: random.int(-1, 8) }],
        }),
      ),
  },
  {
    name: 'send-back',
    code: RequestCode.CONSUMER_SEND_MSG_BACK,
    target: 'broker',
    fields: (random) => ({
      offset: String(random.int(-1, 100000)),
      group: group(random),
      delayLevel: String(random.int(-2, 20)),
      originMsgId: '7F00000100002A9F0000000000000000',
      originTopic: topic(random),
      unitMode: 'false',
      maxReconsumeTimes: String(random.int(-1, 20)),
    }),
  },
  {
    name: 'end-transaction',
    code: RequestCode.END_TRANSACTION,
    target: 'broker',
    fields: (random) => ({
      producerGroup: group(random),
      tranStateTableOffset: String(random.int(-1, 100)),
      commitLogOffset: String(random.int(-1, 100000)),
      commitOrRollback: String(random.pick([0, 4, 8, 12, 99])),
      fromTransactionCheck: 'false',
      msgId: 'x',
      transactionId: 'y',
    }),
  },
  {
    name: 'view-message',
    code: RequestCode.VIEW_MESSAGE_BY_ID,
    target: 'broker',
    fields: (random) => ({ offset: String(random.pick([0, -1, 1e15, random.int(0, 100000)])) }),
  },
  {
    name: 'query-message',
    code: RequestCode.QUERY_MESSAGE,
    target: 'broker',
    fields: (random) => ({
      topic: topic(random),
      key: `k${random.int(0, 9)}`,
      maxNum: String(random.int(-1, 64)),
      beginTimestamp: '0',
      endTimestamp: String(random.pick([Date.now(), '9223372036854775807'])),
    }),
  },
  {
    name: 'create-topic',
    code: RequestCode.UPDATE_AND_CREATE_TOPIC,
    target: 'broker',
    fields: (random) => ({
      topic: random.pick(['FuzzCreated', junkString(random)]),
      defaultTopic: 'TBW102',
      readQueueNums: String(random.int(-1, 1025)),
      writeQueueNums: String(random.int(-1, 1025)),
      perm: String(random.int(-1, 8)),
      topicFilterType: random.pick(['SINGLE_TAG', 'MULTI_TAG', 'x']),
      topicSysFlag: '0',
      order: 'false',
    }),
  },
  {
    name: 'create-group',
    code: RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
    target: 'broker',
    fields: () => ({}),
    body: (random) =>
      Buffer.from(
        JSON.stringify({
          groupName: random.pick(['FuzzCreatedGroup', junkString(random)]),
          consumeEnable: true,
          retryQueueNums: random.int(-1, 100),
          retryMaxTimes: random.int(-1, 100),
          brokerId: 0,
          whichBrokerWhenConsumeSlowly: 1,
        }),
      ),
  },
  {
    name: 'delete-topic',
    code: RequestCode.DELETE_TOPIC_IN_BROKER,
    target: 'broker',
    fields: (random) => ({ topic: random.pick(['FuzzCreated', junkString(random)]) }),
  },
  {
    name: 'broker-config',
    code: RequestCode.UPDATE_BROKER_CONFIG,
    target: 'broker',
    fields: () => ({}),
    body: (random) => configBody(random, REFUSED_CONFIG),
    mutableBody: false,
  },
  { name: 'get-broker-config', code: RequestCode.GET_BROKER_CONFIG, target: 'broker', fields: () => ({}) },
  {
    name: 'consume-stats',
    code: RequestCode.GET_CONSUME_STATS,
    target: 'broker',
    fields: (random) => ({ consumerGroup: group(random), topic: topic(random) }),
  },
  {
    name: 'query-cq',
    code: RequestCode.QUERY_CONSUME_QUEUE,
    target: 'broker',
    fields: (random) => ({
      ...queueFields(random),
      index: String(random.int(-1, 100)),
      count: String(random.int(-1, 100000)),
    }),
  },
  {
    name: 'acl-update',
    code: RequestCode.UPDATE_AND_CREATE_ACL_CONFIG,
    target: 'broker',
    fields: (random) => ({
      accessKey: junkString(random),
      secretKey: junkString(random),
      whiteRemoteAddress: random.pick(['*', '1.2.3.{', junkString(random)]),
      admin: 'true',
      topicPerms: `${topic(random)}=PUB`,
      groupPerms: `${group(random)}=SUB`,
    }),
  },
  {
    name: 'register-broker',
    code: RequestCode.REGISTER_BROKER,
    target: 'namesrv',
    fields: (random) => ({
      brokerName: random.pick(['fuzz-b', junkString(random)]),
      brokerAddr: random.pick(['127.0.0.1:1', junkString(random)]),
      clusterName: 'FuzzCluster',
      haServerAddr: '127.0.0.1:2',
      brokerId: String(random.int(-1, 3)),
      compressed: random.pick(['false', 'true']),
      bodyCrc32: String(random.int(-1, 1000)),
    }),
    body: registerBrokerBody,
  },
  {
    name: 'unregister-broker',
    code: RequestCode.UNREGISTER_BROKER,
    target: 'namesrv',
    fields: (random) => ({
      brokerName: 'fuzz-b',
      brokerAddr: random.pick(['127.0.0.1:1', junkString(random)]),
      clusterName: 'FuzzCluster',
      brokerId: String(random.int(-1, 3)),
    }),
  },
  {
    name: 'route',
    code: RequestCode.GET_ROUTEINFO_BY_TOPIC,
    target: 'namesrv',
    fields: (random) => ({ topic: topic(random) }),
  },
  {
    name: 'put-kv',
    code: RequestCode.PUT_KV_CONFIG,
    target: 'namesrv',
    fields: (random) => ({
      namespace: random.pick(['ORDER_TOPIC_CONFIG', junkString(random)]),
      key: junkString(random),
      value: junkString(random),
    }),
  },
  {
    name: 'namesrv-config',
    code: RequestCode.UPDATE_NAMESRV_CONFIG,
    target: 'namesrv',
    fields: () => ({}),
    body: (random) =>
      configBody(random, {
        listenPort: ['-1', '999999', 'abc', ''],
        orderMessageEnable: ['maybe', ''],
        serverWorkerThreads: ['x', '-1'],
      }),
    mutableBody: false,
  },
  {
    name: 'wipe-perm',
    code: RequestCode.WIPE_WRITE_PERM_OF_BROKER,
    target: 'namesrv',
    fields: () => ({ brokerName: 'fuzz-b' }),
  },
  {
    name: 'topics-by-cluster',
    code: RequestCode.GET_TOPICS_BY_CLUSTER,
    target: 'namesrv',
    fields: (random) => ({ cluster: random.pick(['DefaultCluster', junkString(random)]) }),
  },
];

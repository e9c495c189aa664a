'use strict';
// Client matrix driver for ali-ons (the Node.js RocketMQ client). Contract: ../README.md.
// Only lines starting with "MATRIX " on stdout are read; client logs go to stderr.

const util = require('util');
const { Producer, Consumer, Message } = require('ali-ons');
const aliOnsVersion = require('ali-ons/package.json').version;

const SCENARIO_LIMIT_MS = 60000;
const LINGER_MS = 2000;
const verbose = !!process.env.MATRIX_VERBOSE;

// ---------------------------------------------------------------- plumbing

function parseArgs(argv) {
  const args = { scenarios: [] };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1];
    if (name === '--namesrv') args.namesrv = value;
    else if (name === '--broker') args.broker = value;
    else if (name === '--prefix') args.prefix = value;
    else if (name === '--scenarios') args.scenarios = value.split(',').filter(Boolean);
    else continue;
    i++;
  }
  if (!args.namesrv || !args.prefix || !args.scenarios.length) {
    throw new Error('usage: driver.js --namesrv H:P --broker H:P --prefix PREFIX --scenarios a,b,c');
  }
  return args;
}

const logger = {
  debug(...a) { if (verbose) console.error('[ali-ons debug]', util.format(...a)); },
  info(...a) { if (verbose) console.error('[ali-ons info]', util.format(...a)); },
  warn(...a) { console.error('[ali-ons warn]', util.format(...a)); },
  error(...a) { console.error('[ali-ons error]', util.format(...a)); },
};

// ali-ons asserts an httpclient for Aliyun's address server; with `nameSrv` set it is never called.
const noAddressServer = {
  async request(url) {
    throw new Error(`address server not available (nameSrv is set), asked for ${url}`);
  },
};

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function waitFor(predicate, timeoutMs, stepMs = 50) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await sleep(stepMs);
  }
  return predicate();
}

function oneLine(text) {
  return String(text).replace(/\s+/g, ' ').slice(0, 300);
}

function errorText(err) {
  return oneLine(`${(err && err.name) || 'Error'}: ${(err && err.message) || err}`);
}

/** Everything a scenario creates, so it can be closed whatever happens. */
class Scenario {
  constructor(args, id) {
    this.args = args;
    this.id = id;
    this.topic = `${args.prefix}_${id}`;
    this.producerGroup = `${this.topic}_pg`;
    this.consumerGroup = `${this.topic}_cg`;
    this.clients = [];
    this.errors = [];
  }

  clientOptions(instanceSuffix) {
    return {
      httpclient: noAddressServer,
      nameSrv: this.args.namesrv,
      // one MQClient (and TCP connections) per producer/consumer object: ali-ons shares a client per instanceName
      instanceName: `${this.topic}_${instanceSuffix}`,
      clientIP: '127.0.0.1',
      logger,
      pollNameServerInteval: 1000,
      heartbeatBrokerInterval: 1000,
      rebalanceInterval: 1000,
      persistConsumerOffsetInterval: 1000,
    };
  }

  track(client) {
    client.on('error', err => {
      this.errors.push(errorText(err));
      logger.warn(`[${this.id}]`, errorText(err));
    });
    this.clients.push(client);
    return client;
  }

  async producer() {
    const producer = this.track(new Producer({
      ...this.clientOptions('p'),
      producerGroup: this.producerGroup,
    }));
    await producer.ready();
    return producer;
  }

  /** A push consumer that records what it receives; `onMessage` may throw to ask for a retry. */
  async consumer(suffix, subExpression, extraOptions = {}, onMessage = null) {
    const consumer = this.track(new Consumer({
      ...this.clientOptions(suffix),
      consumerGroup: this.consumerGroup,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      ...extraOptions,
    }));
    consumer.received = [];
    await consumer.ready();
    consumer.subscribe(this.topic, subExpression, async msg => {
      consumer.received.push({
        body: msg.body ? msg.body.toString() : '',
        tags: msg.tags,
        props: msg.properties,
        reconsumeTimes: msg.reconsumeTimes,
        queueId: msg.queueId,
        queueOffset: msg.queueOffset,
        msgId: msg.msgId,
        at: Date.now(),
      });
      if (onMessage) await onMessage(msg);
    });
    return consumer;
  }

  message(body, tags = 'TagA') {
    return new Message(this.topic, tags, body);
  }

  body(i) {
    return `${this.topic}-${i}`;
  }

  async close() {
    for (const client of this.clients.reverse()) {
      try {
        await Promise.race([ client.close(), sleep(3000) ]);
      } catch (err) {
        logger.warn(`[${this.id}] close:`, errorText(err));
      }
    }
  }
}

/** Number of the topic's queues the consumer has taken (rebalance result). */
function ownedQueues(consumer, topic) {
  let n = 0;
  for (const entry of consumer.processQueueTable.values()) {
    if (entry.messageQueue.topic === topic) n++;
  }
  return n;
}

/** Waits until `count()` reaches `expected`, then lingers; returns false on timeout. */
async function receiveAll(count, expected, timeoutMs = 30000) {
  const ok = await waitFor(() => count() >= expected, timeoutMs);
  await sleep(LINGER_MS);
  return ok;
}

function duplicates(bodies) {
  const seen = new Set();
  const dups = new Set();
  for (const b of bodies) (seen.has(b) ? dups : seen).add(b);
  return [ ...dups ];
}

function expectBodies(received, expected) {
  const got = new Set(received);
  const missing = expected.filter(b => !got.has(b));
  const want = new Set(expected);
  const extra = received.filter(b => !want.has(b));
  return { missing, extra, dups: duplicates(received) };
}

function summarizeBodies(label, { missing, extra, dups }) {
  const parts = [];
  if (missing.length) parts.push(`${label} missing ${missing.length} (${missing.slice(0, 3).join(',')})`);
  if (extra.length) parts.push(`${label} unexpected ${extra.length} (${extra.slice(0, 3).join(',')})`);
  if (dups.length) parts.push(`${label} duplicates ${dups.length} (${dups.slice(0, 3).join(',')})`);
  return parts.join('; ');
}

const pass = detail => ({ result: 'pass', detail });
const fail = detail => ({ result: 'fail', detail });
const unsupported = detail => ({ result: 'unsupported', detail });

// ---------------------------------------------------------------- scenarios

const scenarios = {
  async send_sync(s) {
    const producer = await s.producer();
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await producer.send(s.message(s.body(i))));
    const ok = results.filter(r => r.sendStatus === 'SEND_OK').length;
    const ids = new Set(results.map(r => r.msgId));
    const positions = new Set(results.map(r => `${r.messageQueue.queueId}@${r.queueOffset}`));
    const detail = `${ok}/10 SEND_OK, ${ids.size} distinct msgIds, ${positions.size} distinct queue offsets`;
    return ok === 10 && ids.size === 10 && positions.size === 10 ? pass(detail) : fail(detail);
  },

  async send_async(s) {
    const producer = await s.producer();
    const started = Date.now();
    let succeeded = 0;
    const failures = [];
    // ali-ons has no callback API: Producer#send returns a Promise; all 10 are in flight at once.
    await Promise.all(Array.from({ length: 10 }, (_, i) => producer.send(s.message(s.body(i)))
      .then(r => { if (r.sendStatus === 'SEND_OK') succeeded++; else failures.push(r.sendStatus); },
        err => failures.push(errorText(err)))));
    const ms = Date.now() - started;
    const detail = `${succeeded}/10 resolved SEND_OK (concurrent Promises), ${failures.length} exceptions in ${ms} ms` +
      (failures.length ? `: ${failures[0]}` : '');
    return succeeded === 10 && !failures.length && ms <= 10000 ? pass(detail) : fail(detail);
  },

  async send_oneway() {
    return unsupported('ali-ons 3.12.0 has no oneway send: Producer#send always waits for the broker response');
  },

  async push_clustering(s) {
    const c1 = await s.consumer('c1', '*');
    const c2 = await s.consumer('c2', '*');
    const balanced = await waitFor(() => ownedQueues(c1, s.topic) === 2 && ownedQueues(c2, s.topic) === 2, 20000);
    if (!balanced) {
      return fail(`consumers not balanced within 20 s: c1 owns ${ownedQueues(c1, s.topic)}, c2 owns ${ownedQueues(c2, s.topic)} of 4 queues`);
    }
    const producer = await s.producer();
    const expected = [];
    for (let i = 0; i < 20; i++) {
      expected.push(s.body(i));
      await producer.send(s.message(s.body(i)));
    }
    const bodies = () => [ ...c1.received, ...c2.received ].map(m => m.body);
    await receiveAll(() => new Set(bodies()).size, 20);
    const check = expectBodies(bodies(), expected);
    const detail = `c1 ${c1.received.length}, c2 ${c2.received.length}, distinct ${new Set(bodies()).size}/20`;
    const problems = summarizeBodies('', check);
    return problems ? fail(`${detail}; ${problems}`) : pass(detail);
  },

  async push_broadcasting(s) {
    const options = { isBroadcast: true };
    const c1 = await s.consumer('c1', '*', options);
    const c2 = await s.consumer('c2', '*', options);
    const ready = await waitFor(() => ownedQueues(c1, s.topic) === 4 && ownedQueues(c2, s.topic) === 4, 20000);
    if (!ready) {
      return fail(`consumers not assigned all 4 queues within 20 s: c1 ${ownedQueues(c1, s.topic)}, c2 ${ownedQueues(c2, s.topic)}`);
    }
    const producer = await s.producer();
    const expected = [];
    for (let i = 0; i < 10; i++) {
      expected.push(s.body(i));
      await producer.send(s.message(s.body(i)));
    }
    const distinct = c => new Set(c.received.map(m => m.body)).size;
    await receiveAll(() => Math.min(distinct(c1), distinct(c2)), 10);
    const problems = [
      summarizeBodies('c1', expectBodies(c1.received.map(m => m.body), expected)),
      summarizeBodies('c2', expectBodies(c2.received.map(m => m.body), expected)),
    ].filter(Boolean).join('; ');
    const detail = `c1 ${c1.received.length}/10, c2 ${c2.received.length}/10`;
    return problems ? fail(`${detail}; ${problems}`) : pass(detail);
  },

  async filter_tag(s) {
    const tags = [ 'TagA', 'TagB', 'TagC' ];
    const consumer = await s.consumer('c1', 'TagA || TagB');
    const producer = await s.producer();
    const expected = new Map();
    for (let i = 0; i < 30; i++) {
      const tag = tags[i % 3];
      if (tag !== 'TagC') expected.set(s.body(i), tag);
      await producer.send(s.message(s.body(i), tag));
    }
    await receiveAll(() => consumer.received.length, 20);
    const check = expectBodies(consumer.received.map(m => m.body), [ ...expected.keys() ]);
    const wrongTags = consumer.received.filter(m => expected.has(m.body) && expected.get(m.body) !== m.tags);
    let problems = summarizeBodies('', check);
    if (wrongTags.length) {
      problems += `${problems ? '; ' : ''}${wrongTags.length} with wrong tag (${wrongTags[0].body} tag ${JSON.stringify(wrongTags[0].tags)})`;
    }
    const detail = `${consumer.received.length} received of 20 TagA/TagB`;
    return problems ? fail(`${detail}; ${problems}`) : pass(`${detail}, tags intact`);
  },

  async filter_sql92(s) {
    const consumer = await s.consumer('c1', { expressionType: 'SQL92', subString: 'a >= 5' });
    const producer = await s.producer();
    const expected = [];
    for (let i = 0; i < 10; i++) {
      const msg = s.message(s.body(i));
      msg.properties.a = String(i);
      if (i >= 5) expected.push(s.body(i));
      await producer.send(msg);
    }
    await receiveAll(() => consumer.received.length, 5);
    const problems = summarizeBodies('', expectBodies(consumer.received.map(m => m.body), expected));
    const detail = `${consumer.received.length} received, a = ${consumer.received.map(m => m.props.a).join(',')}`;
    const errors = s.errors.length ? `; client error: ${s.errors[0]}` : '';
    return problems ? fail(`${detail}; ${problems}${errors}`) : pass(detail);
  },

  async order(s) {
    // Ordered send: Message#shardingKey picks the queue by an md5 hash of the key.
    // ali-ons has no orderly listener (no broker queue lock); its push consumer runs one message at a
    // time per queue (parallelConsumeLimit 1), which is what is checked here.
    const keys = [ 'k0', 'k1', 'k2' ];
    const producer = await s.producer();
    const queueOfKey = new Map();
    for (let seq = 0; seq < 10; seq++) {
      for (const key of keys) {
        const msg = s.message(`${key}-${seq}`);
        msg.shardingKey = key;
        msg.keys = [ key ];
        const r = await producer.send(msg);
        const queues = queueOfKey.get(key) || new Set();
        queues.add(String(r.messageQueue.queueId));
        queueOfKey.set(key, queues);
      }
    }
    const spread = keys.filter(k => queueOfKey.get(k).size !== 1);
    if (spread.length) return fail(`key ${spread[0]} sent to queues ${[ ...queueOfKey.get(spread[0]) ].join(',')}`);
    const consumer = await s.consumer('c1', '*', { parallelConsumeLimit: 1 });
    await receiveAll(() => consumer.received.length, 30);
    const perKey = new Map(keys.map(k => [ k, [] ]));
    for (const m of consumer.received) {
      const [ key, seq ] = m.body.split('-');
      if (perKey.has(key)) perKey.get(key).push(Number(seq));
    }
    const bad = keys.filter(k => perKey.get(k).join(',') !== '0,1,2,3,4,5,6,7,8,9');
    const queues = keys.map(k => `${k}:q${[ ...queueOfKey.get(k) ][0]}`).join(' ');
    const detail = `${consumer.received.length}/30 received (${queues}; shardingKey send, sequential push consume, no queue lock)`;
    return bad.length ? fail(`${detail}; ${bad[0]} order ${perKey.get(bad[0]).join(',')}`) : pass(detail);
  },

  async delay(s) {
    const consumer = await s.consumer('c1', '*');
    const producer = await s.producer();
    const msg = s.message(s.body(0));
    msg.delayTimeLevel = 1;
    await producer.send(msg);
    const sentAt = Date.now();
    await receiveAll(() => consumer.received.length, 1, 20000);
    if (!consumer.received.length) return fail('delay level 1 message not received within 20 s');
    const waited = consumer.received[0].at - sentAt;
    const detail = `received ${consumer.received.length} after ${waited} ms (delayTimeLevel 1)`;
    return waited >= 900 && consumer.received.length === 1 ? pass(detail) : fail(`${detail}; expected one, >= 900 ms`);
  },

  async retry_dlq(s) {
    // Throwing from the handler makes ali-ons send the message back (CONSUMER_SEND_MSG_BACK, delayLevel 0).
    const consumer = await s.consumer('c1', '*', { maxReconsumeTimes: 1 }, async () => {
      throw new Error('matrix: fail every delivery');
    });
    const producer = await s.producer();
    await producer.send(s.message(s.body(0)));
    const twice = await waitFor(() => consumer.received.length >= 2, 45000);
    if (twice) await sleep(5000);
    const times = consumer.received.map(m => m.reconsumeTimes);
    const detail = `deliveries with reconsumeTimes [${times.join(',')}]`;
    const sendBackErrors = s.errors.filter(e => !e.includes('matrix: fail every delivery'));
    const errors = sendBackErrors.length ? `; client error: ${sendBackErrors[0]}` : '';
    return times.join(',') === '0,1' ? pass(detail) : fail(`${detail}, expected [0,1]${errors}`);
  },

  async transaction() {
    return unsupported('ali-ons 3.12.0 has no transactional producer (no half message send, END_TRANSACTION or check-back listener)');
  },

  async batch() {
    return unsupported('ali-ons 3.12.0 has no batch send: Producer#send takes one Message');
  },

  async pull_offsets() {
    return unsupported('ali-ons 3.12.0 has only a push Consumer: no pull consumer or offset commit API');
  },

  async query_key() {
    return unsupported('ali-ons 3.12.0 has no query API (no query by key; viewMessage is commented out)');
  },

  async admin_create_topic() {
    return unsupported('ali-ons 3.12.0 has no admin API (Producer#createTopic is commented out)');
  },
};

// ---------------------------------------------------------------- main

async function runScenario(args, id) {
  const started = Date.now();
  const impl = scenarios[id];
  let outcome;
  if (!impl) {
    outcome = fail(`unknown scenario ${id}`);
  } else {
    const s = new Scenario(args, id);
    let timer;
    const timeout = new Promise(resolve => {
      timer = setTimeout(() => resolve(fail(`timeout after ${SCENARIO_LIMIT_MS / 1000} s`)), SCENARIO_LIMIT_MS - 4000);
    });
    try {
      outcome = await Promise.race([ impl(s), timeout ]);
    } catch (err) {
      outcome = fail(errorText(err));
    }
    clearTimeout(timer);
    await Promise.race([ s.close(), sleep(3000) ]);
  }
  const line = { scenario: id, result: outcome.result, detail: oneLine(outcome.detail), ms: Date.now() - started };
  process.stdout.write(`MATRIX ${JSON.stringify(line)}\n`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  console.error(`[driver] ali-ons ${aliOnsVersion}, namesrv ${args.namesrv}, scenarios ${args.scenarios.join(',')}`);
  await Promise.all(args.scenarios.map(id => runScenario(args, id)));
  process.exit(0);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});

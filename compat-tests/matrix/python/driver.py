"""Client-matrix driver for rocketmq-client-python 2.0.0 (ctypes over rocketmq-client-cpp's C API).

Usage: driver.py --namesrv HOST:PORT --broker HOST:PORT --prefix PREFIX --scenarios a,b,c
Prints one `MATRIX {json}` line per scenario asked for (see ../README.md).
"""
import argparse
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from rocketmq.client import (ConsumeStatus, Message, MessageModel, Producer, PushConsumer, SendStatus,
                             TransactionMQProducer, TransactionStatus)

SCENARIO_TIMEOUT_S = 60
RUN_TIMEOUT_S = 230
LINGER_S = 2.0
REBALANCE_WAIT_S = 4.0
WAIT_MESSAGES_S = 30.0

UNSUPPORTED = {
    'send_async': 'rocketmq-client-python 2.0.0 Producer has no async send method',
    'filter_sql92': 'PushConsumer.subscribe takes only a tag expression; no SQL92 selector',
    'retry_dlq': 'PushConsumer has no max reconsume times setting',
    'batch': 'Producer has no batch send method',
    'pull_offsets': 'rocketmq-client-python 2.0.0 has no pull consumer',
    'query_key': 'no query-by-key API',
    'admin_create_topic': 'no admin API',
}


class Collector(object):
    """Messages received by one or more consumers, with a wait for a condition on them."""

    def __init__(self):
        self.received = []
        self.cond = threading.Condition()

    def listener(self, consumer_name, status=ConsumeStatus.CONSUME_SUCCESS):
        def on_message(msg):
            entry = {
                'consumer': consumer_name,
                'body': msg.body.decode('utf-8', 'replace'),
                'tags': (msg.tags or b'').decode('utf-8', 'replace'),
                'queue_id': msg.queue_id,
                'queue_offset': msg.queue_offset,
                'reconsume_times': msg.reconsume_times,
                'at_s': time.time(),
            }
            with self.cond:
                self.received.append(entry)
                self.cond.notify_all()
            return status
        return on_message

    def wait_until(self, predicate, timeout_s):
        deadline = time.time() + timeout_s
        with self.cond:
            while not predicate(self.received):
                remaining_s = deadline - time.time()
                if remaining_s <= 0:
                    return False
                self.cond.wait(remaining_s)
            return True

    def snapshot(self):
        with self.cond:
            return list(self.received)


class Scenario(object):
    def __init__(self, args, scenario_id):
        self.namesrv = args.namesrv
        self.broker = args.broker
        self.id = scenario_id
        self.topic = '%s_%s' % (args.prefix, scenario_id)
        self.producer_group = self.topic + '_pg'
        self.consumer_group = self.topic + '_cg'
        self.clients = []

    def body(self, i):
        return '%s-%d' % (self.topic, i)

    def producer(self, orderly=False):
        producer = Producer(self.producer_group, orderly=orderly)
        producer.set_name_server_address(self.namesrv)
        producer.start()
        self.clients.append(producer)
        return producer

    def consumer(self, collector, name='c1', expression='*', orderly=False, model=MessageModel.CLUSTERING):
        consumer = PushConsumer(self.consumer_group, orderly=orderly, message_model=model)
        consumer.set_name_server_address(self.namesrv)
        # Two consumers of one group in one process need distinct instance names (else one client instance).
        consumer.set_instance_name('%s_%s' % (self.topic, name))
        consumer.subscribe(self.topic, collector.listener(name), expression)
        consumer.start()
        self.clients.append(consumer)
        return consumer

    def message(self, body, tags=None, keys=None):
        msg = Message(self.topic)
        msg.set_body(body)
        if tags is not None:
            msg.set_tags(tags)
        if keys is not None:
            msg.set_keys(keys)
        return msg

    def shutdown(self):
        for client in reversed(self.clients):
            try:
                client.shutdown()
            except Exception:
                pass


def bodies_of(received):
    return [entry['body'] for entry in received]


def wait_and_linger(collector, predicate, what):
    """Waits for predicate on the received messages, then LINGER_S more; None when seen, else a failure text."""
    if not collector.wait_until(predicate, WAIT_MESSAGES_S):
        return 'expected %s within %d s, got %d: %s' % (
            what, WAIT_MESSAGES_S, len(collector.received), sorted(bodies_of(collector.snapshot()))[:12])
    time.sleep(LINGER_S)
    return None


def run_send_sync(s):
    collector = Collector()
    producer = s.producer()
    results = [producer.send_sync(s.message(s.body(i))) for i in range(10)]
    not_ok = [r.status for r in results if r.status != SendStatus.OK]
    if not_ok:
        return 'fail', 'send statuses %s' % not_ok
    ids = set(r.msg_id for r in results)
    if len(ids) != 10:
        return 'fail', '%d distinct message ids for 10 sends' % len(ids)
    # The send result has no queue id: read the messages back to see each one's queue and offset.
    s.consumer(collector)
    error = wait_and_linger(collector, lambda got: len(got) >= 10, '10 messages')
    if error:
        return 'fail', error
    by_body = dict((entry['body'], entry) for entry in collector.snapshot())
    slots = set((entry['queue_id'], entry['queue_offset']) for entry in by_body.values())
    if len(slots) != 10:
        return 'fail', 'queue offsets not distinct within queues: %s' % sorted(slots)
    for i, result in enumerate(results):
        entry = by_body.get(s.body(i))
        if entry is None or entry['queue_offset'] != result.offset:
            return 'fail', 'send %d returned offset %d, consumed %s' % (i, result.offset, entry)
    return 'pass', '10/10 SEND_OK, 10 distinct ids, offsets distinct per queue (%d queues)' % len(
        set(q for q, _ in slots))


def run_send_oneway(s):
    collector = Collector()
    s.consumer(collector)
    producer = s.producer()
    for i in range(10):
        producer.send_oneway(s.message(s.body(i)))
    expected = set(s.body(i) for i in range(10))
    error = wait_and_linger(collector, lambda got: expected <= set(bodies_of(got)), 'all 10 bodies')
    if error:
        return 'fail', error
    got = bodies_of(collector.snapshot())
    if sorted(got) != sorted(expected):
        return 'fail', 'received %d (%d distinct), expected exactly 10' % (len(got), len(set(got)))
    return 'pass', '10 oneway sent, 10/10 received'


def run_push_clustering(s):
    collector = Collector()
    s.consumer(collector, 'c1')
    s.consumer(collector, 'c2')
    time.sleep(REBALANCE_WAIT_S)
    producer = s.producer()
    for i in range(20):
        producer.send_sync(s.message(s.body(i)))
    expected = set(s.body(i) for i in range(20))
    error = wait_and_linger(collector, lambda got: expected <= set(bodies_of(got)), 'all 20 bodies')
    if error:
        return 'fail', error
    got = collector.snapshot()
    bodies = bodies_of(got)
    if len(bodies) != len(set(bodies)) or set(bodies) != expected:
        dups = sorted(b for b in set(bodies) if bodies.count(b) > 1)
        return 'fail', 'received %d for 20 sent; duplicates %s' % (len(bodies), dups[:10])
    per_consumer = dict((name, sum(1 for e in got if e['consumer'] == name)) for name in ('c1', 'c2'))
    return 'pass', '20/20 received once each; c1=%d c2=%d' % (per_consumer['c1'], per_consumer['c2'])


def run_push_broadcasting(s):
    collector = Collector()
    s.consumer(collector, 'c1', model=MessageModel.BROADCASTING)
    s.consumer(collector, 'c2', model=MessageModel.BROADCASTING)
    time.sleep(REBALANCE_WAIT_S)
    producer = s.producer()
    for i in range(10):
        producer.send_sync(s.message(s.body(i)))
    expected = set(s.body(i) for i in range(10))

    def each_has_all(got):
        return all(expected <= set(e['body'] for e in got if e['consumer'] == name) for name in ('c1', 'c2'))

    error = wait_and_linger(collector, each_has_all, 'all 10 bodies at each of 2 consumers')
    if error:
        counts = dict((name, len([e for e in collector.snapshot() if e['consumer'] == name])) for name in ('c1', 'c2'))
        return 'fail', '%s; per consumer %s' % (error, counts)
    got = collector.snapshot()
    counts = dict((name, len([e for e in got if e['consumer'] == name])) for name in ('c1', 'c2'))
    if counts != {'c1': 10, 'c2': 10}:
        return 'fail', 'expected 10 at each consumer, got %s' % counts
    return 'pass', 'each of 2 consumers received 10/10'


def run_filter_tag(s):
    collector = Collector()
    s.consumer(collector, expression='TagA || TagB')
    producer = s.producer()
    tags = ['TagA', 'TagB', 'TagC']
    for i in range(30):
        producer.send_sync(s.message(s.body(i), tags=tags[i % 3]))
    expected = dict((s.body(i), tags[i % 3]) for i in range(30) if i % 3 != 2)
    error = wait_and_linger(collector, lambda got: set(expected) <= set(bodies_of(got)), '20 TagA/TagB bodies')
    if error:
        return 'fail', error
    got = collector.snapshot()
    unexpected = [e['body'] for e in got if e['body'] not in expected]
    wrong_tags = ['%s:%s' % (e['body'], e['tags']) for e in got if e['body'] in expected
                  and e['tags'] != expected[e['body']]]
    if unexpected or wrong_tags or len(got) != 20:
        return 'fail', 'received %d; unexpected %s; wrong tags %s' % (len(got), unexpected[:5], wrong_tags[:5])
    return 'pass', '20/20 TagA||TagB received with tags intact, no TagC'


def run_order(s):
    collector = Collector()
    s.consumer(collector, orderly=True)
    producer = s.producer(orderly=True)
    keys = ['k0', 'k1', 'k2']
    for key in keys:
        for seq in range(10):
            producer.send_orderly_with_sharding_key(s.message('%s-%d' % (key, seq), keys=key), key)
    expected = set('%s-%d' % (key, seq) for key in keys for seq in range(10))
    error = wait_and_linger(collector, lambda got: expected <= set(bodies_of(got)), 'all 30 bodies')
    if error:
        return 'fail', error
    got = bodies_of(collector.snapshot())
    for key in keys:
        seqs = [int(b.split('-')[1]) for b in got if b.split('-')[0] == key]
        if seqs != list(range(10)):
            return 'fail', 'key %s received seqs %s' % (key, seqs)
    queues = sorted(set(e['queue_id'] for e in collector.snapshot()))
    return 'pass', '30/30 received, per key seq 0..9 in order (queues %s)' % queues


def run_delay(s):
    collector = Collector()
    s.consumer(collector)
    producer = s.producer()
    msg = s.message(s.body(0))
    msg.set_delay_time_level(1)
    producer.send_sync(msg)
    sent_at_s = time.time()
    error = wait_and_linger(collector, lambda got: s.body(0) in bodies_of(got), 'the delayed message')
    if error:
        return 'fail', error
    got = collector.snapshot()
    delay_ms = int((got[0]['at_s'] - sent_at_s) * 1000)
    if len(got) != 1:
        return 'fail', 'received %d copies' % len(got)
    if delay_ms < 900:
        return 'fail', 'received %d ms after the send returned, expected >= 900 ms' % delay_ms
    return 'pass', 'received %d ms after send (level 1)' % delay_ms


def run_transaction(s):
    collector = Collector()
    checked = []
    local_states = {'commit': TransactionStatus.COMMIT, 'rollback': TransactionStatus.ROLLBACK,
                    'unknown': TransactionStatus.UNKNOWN}

    def check(msg):
        body = msg.body.decode('utf-8', 'replace')
        with collector.cond:
            checked.append(body)
            collector.cond.notify_all()
        return TransactionStatus.COMMIT if body == 'unknown' else TransactionStatus.ROLLBACK

    def execute_local(msg, user_args):
        return local_states.get(msg.body.decode('utf-8', 'replace'), TransactionStatus.ROLLBACK)

    s.consumer(collector)
    producer = TransactionMQProducer(s.producer_group, check)
    producer.set_name_server_address(s.namesrv)
    producer.start()
    s.clients.append(producer)
    for body in ('commit', 'rollback', 'unknown'):
        result = producer.send_message_in_transaction(s.message(body), execute_local)
        if result.status != SendStatus.OK:
            return 'fail', 'half message %s: status %s' % (body, result.status)
    error = wait_and_linger(
        collector, lambda got: {'commit', 'unknown'} <= set(bodies_of(got)) and 'unknown' in checked,
        'commit and unknown received, check-back of unknown')
    if error:
        return 'fail', '%s; check-backs %s' % (error, checked)
    got = bodies_of(collector.snapshot())
    if sorted(got) != ['commit', 'unknown']:
        return 'fail', 'received %s, expected exactly commit and unknown' % got
    return 'pass', 'received commit+unknown, not rollback; check-backs %s' % sorted(set(checked))


RUNNERS = {
    'send_sync': run_send_sync,
    'send_oneway': run_send_oneway,
    'push_clustering': run_push_clustering,
    'push_broadcasting': run_push_broadcasting,
    'filter_tag': run_filter_tag,
    'order': run_order,
    'delay': run_delay,
    'transaction': run_transaction,
}

print_lock = threading.Lock()
reported = set()


def report(scenario_id, result, detail, started_s):
    """Prints the scenario's MATRIX line unless it was printed already (e.g. as a timeout)."""
    line = json.dumps({'scenario': scenario_id, 'result': result, 'detail': detail[:300],
                       'ms': int((time.time() - started_s) * 1000)})
    with print_lock:
        if scenario_id in reported:
            return
        reported.add(scenario_id)
        sys.stdout.write('MATRIX %s\n' % line)
        sys.stdout.flush()


def run_one(args, scenario_id):
    """Runs one scenario, reports it, then shuts its clients down; a watchdog reports it at the time limit."""
    started_s = time.time()
    watchdog = threading.Timer(SCENARIO_TIMEOUT_S, report,
                               (scenario_id, 'fail', 'timeout after %d s' % SCENARIO_TIMEOUT_S, started_s))
    watchdog.daemon = True
    watchdog.start()
    s = Scenario(args, scenario_id)
    try:
        result, detail = RUNNERS[scenario_id](s)
    except Exception as e:
        result, detail = 'fail', '%s: %s' % (type(e).__name__, str(e).replace('\n', ' '))
    watchdog.cancel()
    report(scenario_id, result, detail, started_s)
    s.shutdown()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--namesrv', required=True)
    parser.add_argument('--broker', required=True)
    parser.add_argument('--prefix', required=True)
    parser.add_argument('--scenarios', required=True)
    parser.add_argument('--parallel', type=int, default=4)
    args = parser.parse_args()
    run_started_s = time.time()
    runnable = []
    for sid in [sid for sid in args.scenarios.split(',') if sid]:
        if sid in UNSUPPORTED:
            report(sid, 'unsupported', UNSUPPORTED[sid], time.time())
        elif sid not in RUNNERS:
            report(sid, 'fail', 'unknown scenario id', time.time())
        else:
            runnable.append(sid)

    pool = ThreadPoolExecutor(max_workers=max(1, args.parallel))
    futures = [pool.submit(run_one, args, sid) for sid in runnable]
    for future in futures:
        try:
            future.result(timeout=max(0.0, RUN_TIMEOUT_S - (time.time() - run_started_s)))
        except Exception:
            pass
    for sid in runnable:
        report(sid, 'fail', 'not finished within the run limit of %d s' % RUN_TIMEOUT_S, run_started_s)
    sys.stdout.flush()
    sys.stderr.flush()
    # The native client's threads and destructors can hang or crash at interpreter exit: leave at once.
    os._exit(0)


if __name__ == '__main__':
    main()

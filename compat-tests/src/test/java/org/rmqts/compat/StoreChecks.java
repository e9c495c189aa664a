package org.rmqts.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageClientExt;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** Sending and reading a whole topic back through the official client, for the store scenarios. */
final class StoreChecks {
    private StoreChecks() {
    }

    /** One acknowledged message and where its SendResult put it (a batch element gets its own entry). */
    record Sent(String body, String key, int queueId, long queueOffset, String msgId, String offsetMsgId) {
    }

    static DefaultMQProducer producer(StoreProcesses p) throws Exception {
        DefaultMQProducer producer = new DefaultMQProducer(Compat.unique("pg_store"));
        producer.setNamesrvAddr(p.nsAddr());
        producer.setInstanceName(Compat.unique("store_producer"));
        producer.setSendMsgTimeout(10_000);
        producer.start();
        return producer;
    }

    /**
     * Sends {@code count} messages with tags and keys ({@code <prefix>-key-<i>}), synchronously, one by one; with
     * {@code withBatch} the second half goes as batches of 10 to one queue. Every send must be SEND_OK.
     */
    static List<Sent> send(StoreProcesses p, String topic, String prefix, int count, boolean withBatch)
        throws Exception {
        DefaultMQProducer producer = producer(p);
        List<Sent> sent = new ArrayList<>();
        try {
            int singles = withBatch ? count / 2 : count;
            for (int i = 0; i < singles; i++) {
                Message msg = message(topic, prefix, i);
                SendResult r = producer.send(msg);
                if (r.getSendStatus() != SendStatus.SEND_OK) {
                    throw new AssertionError("send " + i + ": " + r);
                }
                sent.add(new Sent(body(msg), msg.getKeys(), r.getMessageQueue().getQueueId(), r.getQueueOffset(),
                    r.getMsgId(), r.getOffsetMsgId()));
            }
            for (int first = singles; first < count; first += 10) {
                List<Message> batch = new ArrayList<>();
                for (int i = first; i < Math.min(count, first + 10); i++) {
                    batch.add(message(topic, prefix, i));
                }
                SendResult r = producer.send(batch);
                if (r.getSendStatus() != SendStatus.SEND_OK) {
                    throw new AssertionError("batch at " + first + ": " + r);
                }
                String[] ids = r.getMsgId().split(",");
                String[] offsetIds = r.getOffsetMsgId().split(",");
                for (int k = 0; k < batch.size(); k++) {
                    Message msg = batch.get(k);
                    sent.add(new Sent(body(msg), msg.getKeys(), r.getMessageQueue().getQueueId(),
                        r.getQueueOffset() + k, ids[k], offsetIds[k]));
                }
            }
        } finally {
            producer.shutdown();
        }
        return sent;
    }

    private static Message message(String topic, String prefix, int i) {
        String body = prefix + "-" + i + "-" + "y".repeat(i % 50);
        return new Message(topic, "tag" + (i % 3), prefix + "-key-" + i, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String body(Message msg) {
        return new String(msg.getBody(), StandardCharsets.UTF_8);
    }

    static String offsetMsgId(MessageExt m) {
        return m instanceof MessageClientExt ? ((MessageClientExt) m).getOffsetMsgId() : m.getMsgId();
    }

    /** Each sent message must be at its queue and offset with the same body, msgId and offsetMsgId. */
    static List<String> misplaced(Map<Integer, List<MessageExt>> queues, List<Sent> sent) {
        List<String> problems = new ArrayList<>();
        for (Sent s : sent) {
            List<MessageExt> queue = queues.getOrDefault(s.queueId(), List.of());
            MessageExt m = s.queueOffset() < queue.size() ? queue.get((int) s.queueOffset()) : null;
            if (m == null) {
                problems.add("missing " + s);
            } else if (!Compat.body(m).equals(s.body()) || !m.getMsgId().equals(s.msgId())
                || !offsetMsgId(m).equals(s.offsetMsgId()) || !s.key().equals(m.getKeys())) {
                problems.add("expected " + s + " found " + Compat.body(m) + " " + m.getMsgId() + " " + offsetMsgId(m));
            }
        }
        return problems;
    }

    /** The commit-log path: VIEW_MESSAGE_BY_ID with each offsetMsgId finds that message. */
    static List<String> viewByOffsetMsgId(StoreProcesses p, List<Sent> sent) throws Exception {
        List<String> problems = new ArrayList<>();
        DefaultMQAdminExt admin = new DefaultMQAdminExt(5000);
        admin.setNamesrvAddr(p.nsAddr());
        admin.setInstanceName(Compat.unique("store_view"));
        admin.start();
        try {
            for (Sent s : sent) {
                MessageExt m = admin.viewMessage(s.offsetMsgId());
                if (m == null || !Compat.body(m).equals(s.body()) || m.getQueueOffset() != s.queueOffset()
                    || m.getQueueId() != s.queueId()) {
                    problems.add("viewMessage " + s.offsetMsgId() + " expected " + s + " got " + m);
                }
            }
        } finally {
            admin.shutdown();
        }
        return problems;
    }

    /** Waits until the NameServer routes {@code topic} to the broker of {@code p} (raw GET_ROUTEINFO_BY_TOPIC). */
    static void awaitRoute(StoreProcesses p, String topic, long timeoutMs) {
        String[] last = {"no answer yet"};
        Compat.await("a route for topic " + topic + " on the NameServer", timeoutMs, () -> {
            try (Raw raw = Raw.connect(p.nsPort())) {
                Raw.Cmd r = raw.call(105, Collections.singletonMap("topic", topic), null, 3000);
                last[0] = r.toString();
                return r.code == 0 && r.body != null
                    && new String(r.body, StandardCharsets.UTF_8).contains(p.brokerAddr());
            } catch (IOException e) {
                last[0] = e.toString();
                return false;
            }
        }, () -> last[0]);
    }

    /**
     * Every record of queues 0..queues-1, by queue id, in queue-offset order (list index = queue offset, so the
     * queues must start at offset 0). Each pulled record must carry the queue id and offset of the consume-queue
     * unit it was found by, and offsets must follow each other without gaps; otherwise a line goes to
     * {@code problems}.
     */
    static Map<Integer, List<MessageExt>> readAllQueues(StoreProcesses p, String topic, int queues,
        List<String> problems) throws Exception {
        DefaultMQPullConsumer c = new DefaultMQPullConsumer(Compat.unique("cg_readback"));
        c.setNamesrvAddr(p.nsAddr());
        c.setInstanceName(Compat.unique("readback"));
        c.start();
        Map<Integer, List<MessageExt>> result = new TreeMap<>();
        try {
            for (int q = 0; q < queues; q++) {
                MessageQueue mq = new MessageQueue(topic, "broker-a", q);
                long min = c.minOffset(mq);
                long max = c.maxOffset(mq);
                if (min != 0) {
                    problems.add("queue " + q + " starts at " + min);
                }
                List<MessageExt> list = new ArrayList<>();
                long offset = min;
                for (int pulls = 0; offset < max && pulls < 1_000_000; pulls++) {
                    PullResult r = c.pull(mq, "*", offset, 32);
                    if (r.getPullStatus() != PullStatus.FOUND) {
                        problems.add("queue " + q + " offset " + offset + " of " + max + ": " + r.getPullStatus());
                        break;
                    }
                    for (MessageExt m : r.getMsgFoundList()) {
                        if (m.getQueueOffset() != offset || m.getQueueId() != q) {
                            problems.add("unit " + q + ":" + offset + " points at a record of " + m.getQueueId() + ":"
                                + m.getQueueOffset());
                        }
                        list.add(m);
                        offset++;
                    }
                    if (r.getNextBeginOffset() != offset) {
                        problems.add("queue " + q + ": nextBeginOffset " + r.getNextBeginOffset() + " after " + offset);
                        offset = r.getNextBeginOffset();
                    }
                }
                result.put(q, list);
            }
        } finally {
            c.shutdown();
        }
        return result;
    }
}

package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consume part of a queue, commit, shut the consumer down, start a new consumer in the same group: it must resume
 * exactly at the committed offset with no gap and no duplicate. Once with DefaultLitePullConsumer (assign +
 * commitSync) and once with the classic DefaultMQPullConsumer (pull + updateConsumeOffset).
 */
class PullConsumerResumeTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create().withProducer("pg_pull");

    /** Sends m-0..m-(n-1) to queue 0 of a fresh topic, in order; returns that queue. */
    private static MessageQueue fill(String topic, int n) throws Exception {
        MessageQueue mq = new MessageQueue(topic, "broker-a", 0);
        for (int i = 0; i < n; i++) {
            SendResult r = fx.producer().send(new Message(topic, "TagP", ("m-" + i).getBytes(StandardCharsets.UTF_8)), mq);
            assertEquals(SendStatus.SEND_OK, r.getSendStatus());
            assertEquals(0, r.getMessageQueue().getQueueId());
            assertEquals(i, r.getQueueOffset(), "queue offset of m-" + i);
        }
        Compat.awaitRoute(fx.servers(), topic, 30_000);
        return mq;
    }

    private static MessageQueue find(Collection<MessageQueue> mqs, int queueId) {
        for (MessageQueue q : mqs) {
            if (q.getQueueId() == queueId && q.getBrokerName().equals("broker-a")) {
                return q;
            }
        }
        throw new AssertionError("queue " + queueId + " not in " + mqs);
    }

    private static void assertSequence(List<MessageExt> msgs, int from, int to) {
        assertEquals(to - from, msgs.size(), "message count for [" + from + ", " + to + ")");
        for (int i = 0; i < msgs.size(); i++) {
            assertEquals("m-" + (from + i), Compat.body(msgs.get(i)), "message #" + i + " (no gap, no duplicate)");
            assertEquals(from + i, msgs.get(i).getQueueOffset(), "queueOffset of m-" + (from + i));
        }
    }

    /** Raw QUERY_CONSUMER_OFFSET straight to the broker: what the broker itself stored for group/topic/queue 0. */
    private static long brokerOffset(String group, String topic) {
        Map<String, String> h = new HashMap<>();
        h.put("consumerGroup", group);
        h.put("topic", topic);
        h.put("queueId", "0");
        try (Raw raw = Raw.connect(fx.servers().brokerPort())) {
            Raw.Cmd r = raw.call(14, h, null, 3000);
            if (r.code != 0 || r.ext == null || r.ext.get("offset") == null) {
                return -1;
            }
            return Long.parseLong(r.ext.get("offset"));
        } catch (IOException e) {
            return -2;
        }
    }

    @Test
    void litePullConsumerResumesAtCommittedOffset() throws Exception {
        String topic = Compat.unique("LitePullTopic");
        String group = Compat.unique("cg_lite");
        fill(topic, 100);

        List<MessageExt> first = new ArrayList<>();
        DefaultLitePullConsumer c1 = litePull(group);
        MessageQueue mq;
        try {
            mq = find(c1.fetchMessageQueues(topic), 0);
            c1.assign(Collections.singletonList(mq));
            long deadline = System.currentTimeMillis() + 30_000;
            while (first.size() < 50 && System.currentTimeMillis() < deadline) {
                first.addAll(c1.poll(1000));
            }
            // batches of 10 on a full queue: exactly five polls
            assertSequence(first, 0, 50);
            c1.commitSync();
            assertEquals(50L, c1.committed(mq).longValue(), "committed offset after commitSync");
        } finally {
            c1.shutdown(); // persists the assigned queues' offsets to the broker
        }
        Compat.await("the broker to store offset 50 for " + group, 10_000, () -> brokerOffset(group, topic) == 50,
            () -> "broker says " + brokerOffset(group, topic));

        List<MessageExt> rest = new ArrayList<>();
        DefaultLitePullConsumer c2 = litePull(group);
        try {
            MessageQueue mq2 = find(c2.fetchMessageQueues(topic), 0);
            c2.assign(Collections.singletonList(mq2));
            long deadline = System.currentTimeMillis() + 30_000;
            while (rest.size() < 50 && System.currentTimeMillis() < deadline) {
                rest.addAll(c2.poll(1000));
            }
            rest.addAll(c2.poll(1500)); // nothing more may come
        } finally {
            c2.shutdown();
        }
        assertTrue(!rest.isEmpty(), "second consumer received messages");
        assertEquals("m-50", Compat.body(rest.get(0)), "second consumer resumes exactly at message 50");
        assertSequence(rest, 50, 100);
    }

    @Test
    void classicPullConsumerResumesAtUpdatedOffset() throws Exception {
        String topic = Compat.unique("PullTopic");
        String group = Compat.unique("cg_pull");
        fill(topic, 100);

        List<MessageExt> first = new ArrayList<>();
        DefaultMQPullConsumer c1 = classicPull(group, topic);
        MessageQueue mq;
        try {
            mq = awaitBalanced(c1, topic);
            // a new group has no stored offset: QUERY_NOT_FOUND (-> -1), or 0 from the Java broker's
            // "young queue, still in page cache" rule
            long initial = c1.fetchConsumeOffset(mq, true);
            assertTrue(initial == -1 || initial == 0, "initial offset of a new group: " + initial);
            long offset = 0;
            while (first.size() < 50) {
                PullResult r = c1.pull(mq, "*", offset, Math.min(32, 50 - first.size()));
                assertEquals(PullStatus.FOUND, r.getPullStatus(), "pull at " + offset + ": " + r);
                assertEquals(100, r.getMaxOffset(), "maxOffset");
                assertEquals(0, r.getMinOffset(), "minOffset");
                first.addAll(r.getMsgFoundList());
                offset = r.getNextBeginOffset();
                assertEquals(first.size(), offset, "nextBeginOffset");
            }
            assertSequence(first, 0, 50);
            c1.updateConsumeOffset(mq, 50);
        } finally {
            c1.shutdown(); // persists offsets of the balanced queues
        }
        Compat.await("the broker to store offset 50 for " + group, 10_000, () -> brokerOffset(group, topic) == 50,
            () -> "broker says " + brokerOffset(group, topic));

        List<MessageExt> rest = new ArrayList<>();
        DefaultMQPullConsumer c2 = classicPull(group, topic);
        try {
            MessageQueue mq2 = find(c2.fetchSubscribeMessageQueues(topic), 0);
            long offset = c2.fetchConsumeOffset(mq2, true);
            assertEquals(50L, offset, "offset stored for the group");
            while (rest.size() < 50) {
                PullResult r = c2.pull(mq2, "*", offset, 32);
                assertEquals(PullStatus.FOUND, r.getPullStatus(), "pull at " + offset + ": " + r);
                rest.addAll(r.getMsgFoundList());
                offset = r.getNextBeginOffset();
            }
            PullResult end = c2.pull(mq2, "*", offset, 32);
            assertEquals(PullStatus.NO_NEW_MSG, end.getPullStatus(), "pull at the end of the queue: " + end);
            assertEquals(100, end.getNextBeginOffset());
        } finally {
            c2.shutdown();
        }
        assertSequence(rest, 50, 100);
    }

    private static DefaultLitePullConsumer litePull(String group) throws Exception {
        DefaultLitePullConsumer c = new DefaultLitePullConsumer(group);
        c.setNamesrvAddr(fx.servers().nsAddr());
        c.setInstanceName(Compat.unique("lite"));
        c.setAutoCommit(false);
        c.setPullBatchSize(10);
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.start();
        return c;
    }

    private static DefaultMQPullConsumer classicPull(String group, String topic) throws Exception {
        DefaultMQPullConsumer c = new DefaultMQPullConsumer(group);
        c.setNamesrvAddr(fx.servers().nsAddr());
        c.setInstanceName(Compat.unique("pull"));
        // registered topics take part in rebalancing, and only balanced queues get their offsets persisted
        c.setRegisterTopics(Collections.singleton(topic));
        c.start();
        return c;
    }

    private static MessageQueue awaitBalanced(DefaultMQPullConsumer c, String topic) {
        MessageQueue[] found = new MessageQueue[1];
        Compat.await("queue 0 of " + topic + " balanced to the pull consumer", 30_000, () -> {
            try {
                for (MessageQueue q : c.fetchMessageQueuesInBalance(topic)) {
                    if (q.getQueueId() == 0) {
                        found[0] = q;
                        return true;
                    }
                }
            } catch (Exception e) {
                return false;
            }
            return false;
        }, null);
        assertNotNull(found[0]);
        return found[0];
    }
}

package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DefaultLitePullConsumer: subscribe mode receives every message of the topic once and auto-commits; assign mode
 * with seek / seekToBegin / seekToEnd returns exactly the messages at the requested offsets, an out-of-range seek is
 * refused, and commitSync reaches the broker.
 */
class LitePullTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create().withProducer("pg_lite").withAdmin();

    static long brokerOffset(String group, String topic, int queueId) {
        Map<String, String> h = new HashMap<>();
        h.put("consumerGroup", group);
        h.put("topic", topic);
        h.put("queueId", String.valueOf(queueId));
        try (Raw raw = Raw.connect(fx.servers().brokerPort())) {
            Raw.Cmd r = raw.call(14, h, null, 3000);
            return r.code == 0 ? Long.parseLong(r.ext.get("offset")) : -1;
        } catch (IOException e) {
            return -2;
        }
    }

    static List<Long> offsets(List<MessageExt> msgs) {
        List<Long> out = new ArrayList<>();
        for (MessageExt m : msgs) {
            out.add(m.getQueueOffset());
        }
        return out;
    }

    static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    /** Polls until {@code n} messages arrived (or 20 s passed). */
    static List<MessageExt> pollN(DefaultLitePullConsumer c, int n) {
        List<MessageExt> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 20_000;
        while (got.size() < n && System.currentTimeMillis() < deadline) {
            got.addAll(c.poll(500));
        }
        return got;
    }

    @Test
    void subscribeModeReceivesEveryMessageOnceAndCommits() throws Exception {
        String topic = Compat.unique("LiteSubTopic");
        String group = Compat.unique("cg_lite_sub");
        Consumption.createTopic(fx.servers(), fx.admin(), topic, 4);
        Consumption.send(fx.producer(), topic, "TagL", "sub", 80);
        DefaultLitePullConsumer c = Consumption.litePull(fx.servers(), group);
        c.subscribe(topic, "*");
        c.setAutoCommitIntervalMillis(1000);
        c.start();
        try {
            List<MessageExt> got = pollN(c, 80);
            got.addAll(c.poll(1000));
            assertEquals(Consumption.expected("sub", 80), Consumption.bodies(got), "bodies");
            assertEquals(80, got.size(), "deliveries");
            // auto-commit happens inside poll(); the client persists committed offsets every 5 s
            Compat.await("the auto-committed offsets on the broker", 20_000, () -> {
                assertTrue(c.poll(100).isEmpty(), "nothing more to poll");
                long sum = 0;
                for (int q = 0; q < 4; q++) {
                    sum += brokerOffset(group, topic, q);
                }
                return sum == 80;
            }, () -> "broker offsets " + brokerOffset(group, topic, 0) + "," + brokerOffset(group, topic, 1) + ","
                + brokerOffset(group, topic, 2) + "," + brokerOffset(group, topic, 3));
        } finally {
            c.shutdown();
        }
    }

    static void sendTo(String topic, int i) throws Exception {
        fx.producer().send(new Message(topic, "TagL", ("seek-" + i).getBytes(StandardCharsets.UTF_8)),
            new MessageQueue(topic, "broker-a", 0));
    }

    @Test
    void assignModeSeekReturnsExactOffsets() throws Exception {
        String topic = Compat.unique("LiteSeekTopic");
        String group = Compat.unique("cg_lite_seek");
        Consumption.createTopic(fx.servers(), fx.admin(), topic, 2);
        MessageQueue q0 = new MessageQueue(topic, "broker-a", 0);
        for (int i = 0; i < 50; i++) {
            fx.producer().send(new Message(topic, "TagL", ("seek-" + i).getBytes(StandardCharsets.UTF_8)), q0);
        }
        DefaultLitePullConsumer c = Consumption.litePull(fx.servers(), group);
        c.setAutoCommit(false);
        c.setPullBatchSize(10);
        c.start();
        try {
            MessageQueue mq = null;
            for (MessageQueue q : c.fetchMessageQueues(topic)) {
                if (q.getQueueId() == 0) {
                    mq = q;
                }
            }
            c.assign(Collections.singletonList(mq));
            assertEquals(range(0, 10), offsets(pollN(c, 10)), "the first poll starts at the queue's start");

            // The pull thread has fetched ahead to the end of the queue and waits there in a long poll (20 s);
            // a seek takes effect with its next pull, so each seek is followed by one new message that ends
            // the held pull at once.
            c.seek(mq, 20);
            sendTo(topic, 50);
            List<MessageExt> fromTwenty = pollN(c, 31);
            assertEquals(range(20, 51), offsets(fromTwenty), "offsets after seek(20)");
            assertEquals("seek-20", Compat.body(fromTwenty.get(0)));

            c.seek(mq, 45);
            sendTo(topic, 51);
            assertEquals(range(45, 52), offsets(pollN(c, 7)), "offsets after seek(45)");

            c.seekToBegin(mq);
            sendTo(topic, 52);
            assertEquals(range(0, 10), offsets(pollN(c, 10)).subList(0, 10), "offsets after seekToBegin");

            c.seekToEnd(mq);
            sendTo(topic, 53);
            assertEquals(Collections.singletonList(53L), offsets(pollN(c, 1)), "after seekToEnd: only the new message");
            assertTrue(c.poll(500).isEmpty(), "nothing else after seekToEnd");

            final MessageQueue target = mq;
            MQClientException e = assertThrows(MQClientException.class, () -> c.seek(target, 55));
            assertTrue(e.getMessage().contains("Seek offset illegal"), e.getMessage());

            c.seek(mq, 30);
            sendTo(topic, 54);
            assertEquals(range(30, 40), offsets(pollN(c, 10)).subList(0, 10), "offsets after seek(30)");
            c.commitSync();
            long committed = c.committed(mq);
            assertTrue(committed >= 40 && committed <= 55, "committed after commitSync: " + committed);
            Compat.await("the broker to store the committed offset", 15_000,
                () -> brokerOffset(group, topic, 0) == committed, () -> "broker says " + brokerOffset(group, topic, 0));
        } finally {
            c.shutdown();
        }
    }
}

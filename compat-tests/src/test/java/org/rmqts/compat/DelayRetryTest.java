package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rmqts.compat.Consumption.Delivery;

/**
 * Delay levels, retries and the dead-letter queue with the 4.7.1 client.
 *
 * <p>A level-2 message (5 s) reaches a push consumer 5 s (±0.5 s) after the send. A listener that always answers
 * RECONSUME_LATER, with maxReconsumeTimes 1, sees the message twice: reconsumeTimes 0, then — after the retry delay
 * of level 3 + 0 (10 s) — reconsumeTimes 1 with the original topic restored; the third failure sends it to
 * {@code %DLQ%<group>}, whose queue 0 then holds one message (GET_MAX_OFFSET) and which refuses pulls (perm 2,
 * write-only, NO_PERMISSION).
 */
class DelayRetryTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create();

    /** A push consumer that answers RECONSUME_LATER for bodies equal to {@code failing}, else success. */
    static DefaultMQPushConsumer consumer(String group, String topic, int maxReconsumeTimes, String failing,
        List<Delivery> sink) throws Exception {
        return Compat.pushConsumer(fx.servers(), group, "consumer", c -> {
            c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            c.setMaxReconsumeTimes(maxReconsumeTimes);
            c.setAwaitTerminationMillisWhenShutdown(5_000);
            c.subscribe(topic, "*");
        }, (msgs, ctx) -> {
            long now = System.currentTimeMillis();
            boolean fail = false;
            for (MessageExt m : msgs) {
                sink.add(new Delivery(m, now));
                fail |= new String(m.getBody(), StandardCharsets.UTF_8).equals(failing);
            }
            return fail ? ConsumeConcurrentlyStatus.RECONSUME_LATER : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
    }

    /** Sends a warm-up message and waits until the consumer got it, so later timings exclude rebalancing. */
    static void warmUp(DefaultMQProducer producer, String topic, List<Delivery> sink) throws Exception {
        producer.send(new Message(topic, "warm-up".getBytes(StandardCharsets.UTF_8)));
        Compat.await("the warm-up message", 60_000, () -> sink.stream().anyMatch(d -> body(d).equals("warm-up")),
            () -> "received " + sink.size());
    }

    static String body(Delivery d) {
        return new String(d.message.getBody(), StandardCharsets.UTF_8);
    }

    @Test
    void level2DelayArrivesAfterFiveSeconds() throws Exception {
        String topic = Compat.unique("DelayTopic");
        DefaultMQProducer producer = Compat.producer(fx.servers(), Compat.unique("pg_delay"));
        List<Delivery> got = Compat.syncList();
        producer.send(new Message(topic, "create".getBytes(StandardCharsets.UTF_8)));
        Compat.awaitRoute(fx.servers(), topic, 30_000);
        DefaultMQPushConsumer c = consumer(Compat.unique("cg_delay"), topic, -1, null, got);
        try {
            warmUp(producer, topic, got);
            Message delayed = new Message(topic, "TagD", "delayed".getBytes(StandardCharsets.UTF_8));
            delayed.setDelayTimeLevel(2);
            long sentAt = System.currentTimeMillis();
            SendResult result = producer.send(delayed);
            assertEquals(SendStatus.SEND_OK, result.getSendStatus());
            Compat.await("the delayed message", 15_000, () -> got.stream().anyMatch(d -> body(d).equals("delayed")),
                () -> "received " + got.size());
            Delivery d = got.stream().filter(x -> body(x).equals("delayed")).findFirst().get();
            long elapsed = d.atMs - sentAt;
            System.out.printf("[DelayRetryTest] level-2 delay arrived after %d ms (target %s)%n", elapsed,
                Servers.target());
            assertTrue(elapsed >= 4_500 && elapsed <= 5_500, "arrived after " + elapsed + " ms");
            assertEquals(topic, d.message.getTopic());
            assertEquals("TagD", d.message.getTags());
            assertEquals(2, d.message.getDelayTimeLevel(), "Java 4.7.1 delivers the record with DELAY still set");
            assertEquals(topic, d.message.getProperty("REAL_TOPIC"));
            assertEquals(result.getMsgId(), d.message.getMsgId());
        } finally {
            c.shutdown();
            producer.shutdown();
        }
    }

    @Test
    void reconsumeLaterRetriesOnceThenDeadLetters() throws Exception {
        String topic = Compat.unique("RetryTopic");
        String group = Compat.unique("cg_retry");
        DefaultMQProducer producer = Compat.producer(fx.servers(), Compat.unique("pg_retry"));
        producer.send(new Message(topic, "create".getBytes(StandardCharsets.UTF_8)));
        Compat.awaitRoute(fx.servers(), topic, 30_000);
        List<Delivery> got = Compat.syncList();
        DefaultMQPushConsumer c = consumer(group, topic, 1, "fails", got);
        try {
            // The consumer learns the route of %RETRY%<group> (created by its first heartbeat) at its next
            // route poll, up to 30 s later on either broker; fetch it now so the timing below is the broker's.
            Compat.awaitRoute(fx.servers(), "%RETRY%" + group, 30_000);
            c.getDefaultMQPushConsumerImpl().getmQClientFactory().updateTopicRouteInfoFromNameServer();
            c.getDefaultMQPushConsumerImpl().getmQClientFactory().rebalanceImmediately();
            Message m = new Message(topic, "TagR", "key-r", "fails".getBytes(StandardCharsets.UTF_8));
            m.putUserProperty("color", "blue");
            SendResult sent = producer.send(m);
            Compat.await("two deliveries of the failing message", 40_000,
                () -> got.stream().filter(d -> body(d).equals("fails")).count() >= 2, () -> "received " + got.size());
            List<Delivery> fails = got.stream().filter(d -> body(d).equals("fails"))
                .collect(java.util.stream.Collectors.toList());
            Delivery first = fails.get(0);
            Delivery second = fails.get(1);
            assertEquals(0, first.message.getReconsumeTimes());
            assertEquals(1, second.message.getReconsumeTimes());
            long retryDelay = second.atMs - first.atMs;
            System.out.printf("[DelayRetryTest] retry (level 3) after %d ms (target %s); stored %d ms after the "
                + "first delivery, from queue %d%n", retryDelay, Servers.target(),
                second.message.getStoreTimestamp() - first.atMs, second.message.getQueueId());
            assertTrue(retryDelay >= 9_000 && retryDelay <= 12_000, "retried after " + retryDelay + " ms");
            assertEquals(topic, second.message.getTopic(), "the client restores the topic from RETRY_TOPIC");
            assertEquals(sent.getMsgId(), second.message.getMsgId());
            assertEquals("key-r", second.message.getKeys());
            assertEquals("blue", second.message.getUserProperty("color"));

            String dlq = "%DLQ%" + group;
            Compat.await("one message in " + dlq, 15_000, () -> maxOffset(dlq) == 1, () -> "max " + maxOffset(dlq));
            Servers.sleep(1_000);
            assertEquals(2, got.stream().filter(d -> body(d).equals("fails")).count(), "no third delivery");
            try (Raw raw = Raw.connect(fx.servers().brokerPort())) {
                Raw.Cmd pull = raw.call(11, pullHeader(group, dlq), null, 5_000);
                assertEquals(16, pull.code, "the DLQ is write-only: " + pull);
                assertTrue(pull.remark.contains("pulling message is forbidden"), pull.remark);
            }
        } finally {
            c.shutdown();
            producer.shutdown();
        }
    }

    static long maxOffset(String topic) {
        try (Raw raw = Raw.connect(fx.servers().brokerPort())) {
            Map<String, String> ext = new HashMap<>();
            ext.put("topic", topic);
            ext.put("queueId", "0");
            Raw.Cmd r = raw.call(30, ext, null, 3_000);
            return r.code == 0 ? Long.parseLong(r.ext.get("offset")) : -r.code;
        } catch (Exception e) {
            return -1;
        }
    }

    static Map<String, String> pullHeader(String group, String topic) {
        Map<String, String> ext = new HashMap<>();
        ext.put("consumerGroup", group);
        ext.put("topic", topic);
        ext.put("queueId", "0");
        ext.put("queueOffset", "0");
        ext.put("maxMsgNums", "32");
        ext.put("sysFlag", "4");
        ext.put("commitOffset", "0");
        ext.put("suspendTimeoutMillis", "0");
        ext.put("subscription", "*");
        ext.put("subVersion", "0");
        ext.put("expressionType", "TAG");
        return ext;
    }
}

package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ordered consumption: messages of 16 keys go to queue key % 8; two MessageListenerOrderly consumers of one group
 * lock 4 queues each (LOCK_BATCH_MQ) and every consumer sees each key's messages in send order. When one consumer
 * shuts down it unlocks its queues and the other locks them and goes on, still in order, with nothing lost.
 */
class OrderlyConsumeTest {
    private static final int KEYS = 16;
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create().withProducer("pg_orderly").withAdmin();

    /** Per key, the sequence numbers in the order this consumer got them. */
    static final class OrderLog {
        final Map<Integer, List<Integer>> byKey = new TreeMap<>();
        int count;

        synchronized void add(MessageExt m) {
            String[] parts = Compat.body(m).split("-");
            byKey.computeIfAbsent(Integer.parseInt(parts[1]), k -> new ArrayList<>()).add(Integer.parseInt(parts[2]));
            count++;
        }

        synchronized Set<String> seen() {
            Set<String> s = new TreeSet<>();
            byKey.forEach((k, seqs) -> seqs.forEach(seq -> s.add("o-" + k + "-" + seq)));
            return s;
        }

        /** Keys whose sequence goes backwards at this consumer (a re-delivery after a hand-over may repeat, never reorder). */
        synchronized Map<Integer, List<Integer>> outOfOrder() {
            Map<Integer, List<Integer>> bad = new TreeMap<>();
            byKey.forEach((k, seqs) -> {
                for (int i = 1; i < seqs.size(); i++) {
                    if (seqs.get(i) < seqs.get(i - 1)) {
                        bad.put(k, seqs);
                        return;
                    }
                }
            });
            return bad;
        }
    }

    static DefaultMQPushConsumer orderly(String group, String topic, OrderLog log) throws Exception {
        DefaultMQPushConsumer c = new DefaultMQPushConsumer(group);
        c.setNamesrvAddr(fx.servers().nsAddr());
        c.setInstanceName(Compat.unique("orderly"));
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.setAwaitTerminationMillisWhenShutdown(5_000);
        c.subscribe(topic, "*");
        c.registerMessageListener((MessageListenerOrderly) (msgs, ctx) -> {
            msgs.forEach(log::add);
            return ConsumeOrderlyStatus.SUCCESS;
        });
        c.start();
        return c;
    }

    static void sendRound(String topic, int fromSeq, int toSeq) throws Exception {
        for (int seq = fromSeq; seq < toSeq; seq++) {
            for (int key = 0; key < KEYS; key++) {
                Message m = new Message(topic, "TagO", ("o-" + key + "-" + seq).getBytes(StandardCharsets.UTF_8));
                SendResult r = fx.producer().send(m, (mqs, msg, arg) -> mqs.get((Integer) arg % mqs.size()), key);
                assertEquals(SendStatus.SEND_OK, r.getSendStatus());
            }
        }
    }

    static Set<String> expected(int fromSeq, int toSeq) {
        Set<String> s = new TreeSet<>();
        for (int key = 0; key < KEYS; key++) {
            for (int seq = fromSeq; seq < toSeq; seq++) {
                s.add("o-" + key + "-" + seq);
            }
        }
        return s;
    }

    @Test
    void orderIsKeptPerKeyAcrossTwoConsumersAndAHandOver() throws Exception {
        String topic = Compat.unique("OrderTopic");
        String group = Compat.unique("cg_orderly");
        Consumption.createTopic(fx.servers(), fx.admin(), topic, 8);
        OrderLog log1 = new OrderLog();
        OrderLog log2 = new OrderLog();
        DefaultMQPushConsumer c1 = orderly(group, topic, log1);
        DefaultMQPushConsumer c2 = orderly(group, topic, log2);
        boolean c2Running = true;
        try {
            Compat.await("each consumer to lock 4 of the 8 queues", 50_000, () -> {
                Set<Integer> q1 = Consumption.lockedQueuesOf(c1, topic);
                Set<Integer> q2 = Consumption.lockedQueuesOf(c2, topic);
                Set<Integer> all = new HashSet<>(q1);
                all.addAll(q2);
                return q1.size() == 4 && q2.size() == 4 && all.size() == 8;
            }, () -> "c1 " + Consumption.lockedQueuesOf(c1, topic) + ", c2 " + Consumption.lockedQueuesOf(c2, topic));

            sendRound(topic, 0, 20);
            Set<String> firstRound = expected(0, 20);
            Compat.await("the first 320 messages", 30_000, () -> {
                Set<String> s = log1.seen();
                s.addAll(log2.seen());
                return s.containsAll(firstRound);
            }, () -> log1.count + " + " + log2.count);
            assertTrue(log1.count > 0 && log2.count > 0, "both consumers got messages: " + log1.count + ", " + log2.count);
            Set<String> both = log1.seen();
            both.retainAll(log2.seen());
            assertEquals(new TreeSet<String>(), both, "messages consumed by both while the split was stable");

            c2.shutdown();
            c2Running = false;
            sendRound(topic, 20, 30);
            Set<String> secondRound = expected(20, 30);
            Compat.await("c1 to take over and consume the last 160 messages", 40_000,
                () -> log1.seen().containsAll(secondRound), () -> "c1 has " + log1.count + ", locked "
                    + Consumption.lockedQueuesOf(c1, topic));
            assertEquals(8, Consumption.lockedQueuesOf(c1, topic).size(), "c1 holds every queue's lock");
            assertEquals(new TreeMap<Integer, List<Integer>>(), log1.outOfOrder(), "keys out of order at c1");
            assertEquals(new TreeMap<Integer, List<Integer>>(), log2.outOfOrder(), "keys out of order at c2");
            Set<String> lost = expected(0, 30);
            lost.removeAll(log1.seen());
            lost.removeAll(log2.seen());
            assertEquals(new TreeSet<String>(), lost, "messages consumed by nobody");
        } finally {
            c1.shutdown();
            if (c2Running) {
                c2.shutdown();
            }
        }
    }
}

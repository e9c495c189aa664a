package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.admin.ConsumeStats;
import org.apache.rocketmq.common.admin.OffsetWrapper;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * What an application does on a mixed cluster (a NameServer of one implementation, a broker of the other): sync and
 * async sends, push consumption, a tag filter, offsets committed on shutdown and resumed by the next consumer of the
 * group, a key query. Used by {@link JavaNameServerOurBrokerTest} and {@link OurNameServerJavaBrokerTest}.
 */
final class MixedClusterScenario {
    private MixedClusterScenario() {
    }

    static void run(Servers s) throws Exception {
        DefaultMQAdminExt admin = Consumption.admin(s);
        DefaultMQProducer producer = Compat.producer(s, Compat.unique("pg_mixed"));
        try {
            String topic = Compat.unique("mixed");
            Consumption.createTopic(s, admin, topic, 4);
            String key = Compat.unique("mixkey");
            sendSync(producer, topic, "a", 20, key);
            sendAsync(producer, topic, "b", 20);
            Set<String> first = union(Consumption.expected("a", 20), Consumption.expected("b", 20));

            String group = Compat.unique("cg_mixed");
            consumeExactly(s, group, topic, "*", first);
            ConsumeStats stats = admin.examineConsumeStats(group);
            long committed = 0;
            for (OffsetWrapper w : stats.getOffsetTable().values()) {
                committed += w.getConsumerOffset();
            }
            assertEquals(40, committed, "offsets committed on the broker: " + stats.getOffsetTable());

            sendSync(producer, topic, "c", 10, null);
            consumeExactly(s, group, topic, "*", Consumption.expected("c", 10)); // resumes after a-*, b-*

            Set<String> tagA = new TreeSet<>(); // even i of every batch
            for (int i = 0; i < 20; i += 2) {
                tagA.add("a-" + i);
                tagA.add("b-" + i);
                tagA.add(i < 10 ? "c-" + i : "a-" + i);
            }
            consumeExactly(s, Compat.unique("cg_tag"), topic, "TagA", tagA);

            Set<String> found = new TreeSet<>();
            Compat.await("a key query to find the 20 keyed messages", 20_000, () -> {
                try {
                    found.clear();
                    for (MessageExt m : admin.queryMessage(topic, key, 64, 0, Long.MAX_VALUE).getMessageList()) {
                        found.add(Compat.body(m));
                    }
                } catch (Exception e) {
                    return false;
                }
                return found.equals(Consumption.expected("a", 20));
            }, found::toString);
        } finally {
            producer.shutdown();
            admin.shutdown();
        }
    }

    /** {@code prefix-i}, tag TagA for even i and TagB for odd, keys {@code key-i <key>} when key is set. */
    static void sendSync(DefaultMQProducer p, String topic, String prefix, int n, String key) throws Exception {
        for (int i = 0; i < n; i++) {
            Message m = new Message(topic, i % 2 == 0 ? "TagA" : "TagB", (prefix + "-" + i).getBytes(StandardCharsets.UTF_8));
            if (key != null) {
                m.setKeys(prefix + "-key-" + i + " " + key);
            }
            SendResult r = p.send(m);
            assertEquals(SendStatus.SEND_OK, r.getSendStatus(), r.toString());
        }
    }

    static void sendAsync(DefaultMQProducer p, String topic, String prefix, int n) throws Exception {
        CountDownLatch done = new CountDownLatch(n);
        AtomicInteger ok = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            Message m = new Message(topic, i % 2 == 0 ? "TagA" : "TagB", (prefix + "-" + i).getBytes(StandardCharsets.UTF_8));
            p.send(m, new SendCallback() {
                @Override
                public void onSuccess(SendResult r) {
                    if (r.getSendStatus() == SendStatus.SEND_OK) {
                        ok.incrementAndGet();
                    }
                    done.countDown();
                }

                @Override
                public void onException(Throwable e) {
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "async sends answered");
        assertEquals(n, ok.get(), "async SEND_OK");
    }

    /** A push consumer of {@code group} receives exactly {@code want} (each once, nothing more within 2 s), then stops. */
    static void consumeExactly(Servers s, String group, String topic, String expression, Set<String> want) throws Exception {
        List<MessageExt> sink = Compat.syncList();
        DefaultMQPushConsumer c = Compat.pushConsumer(s, group, topic, expression, ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, sink);
        try {
            Consumption.awaitBodies(group + " to receive " + want.size(), 40_000, sink, want);
            Servers.sleep(2000);
            assertEquals(want, Consumption.bodies(sink), "bodies received by " + group);
            assertEquals(want.size(), sink.size(), "deliveries to " + group + " (duplicates: " + Consumption.duplicates(sink) + ")");
        } finally {
            c.shutdown(); // persists the group's offsets on the broker
        }
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }

}

package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Messages and consumer-group offsets survive a broker restart (SIGTERM, then a new broker process on the same
 * store and port).
 *
 * <p>200 messages are stored before the restart; group G1 has consumed (and committed) exactly the first 100 of
 * them. The 100 are sent and fully consumed first, then the second 100 are sent, so that "G1 consumed 100" is exact
 * and does not depend on push-consumer batching.
 */
class BrokerRestartTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create();

    @Test
    void messagesAndOffsetsSurviveRestart() throws Exception {
        String topic = Compat.unique("RestartTopic");
        String g1 = Compat.unique("cg_restart1");
        String g2 = Compat.unique("cg_restart2");
        DefaultMQProducer producer = Compat.producer(fx.servers(), Compat.unique("pg_restart"));
        Set<String> batchA = new TreeSet<>();
        Set<String> batchB = new TreeSet<>();
        try {
            send(producer, topic, "A", batchA);
            Compat.awaitRoute(fx.servers(), topic, 30_000);

            // G1 consumes all of batch A, then shuts down (which persists its offsets to the broker)
            List<MessageExt> got1 = Compat.syncList();
            DefaultMQPushConsumer c1 = Compat.pushConsumer(fx.servers(), g1, topic, "*",
                ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, got1);
            try {
                Consumption.awaitCount("G1 to consume batch A", 60_000, got1, 100);
                Servers.sleep(1000); // let the last consume results update the in-memory offsets
            } finally {
                c1.shutdown();
            }
            assertEquals(batchA, bodies(got1), "G1 received batch A");

            send(producer, topic, "B", batchB);

            // restart the broker on the same store
            fx.servers().stopBroker();
            fx.servers().startBroker();
            Compat.awaitRoute(fx.servers(), topic, 30_000);

            // the producer created before the restart keeps working
            SendResult probe = producer.send(new Message(Compat.unique("ProbeTopic"), "p".getBytes(StandardCharsets.UTF_8)));
            assertEquals(SendStatus.SEND_OK, probe.getSendStatus(), "send after restart");
        } finally {
            producer.shutdown();
        }

        // G1 resumes: exactly batch B, nothing of batch A again
        List<MessageExt> got1b = Compat.syncList();
        DefaultMQPushConsumer c1b = Compat.pushConsumer(fx.servers(), g1, topic, "*",
            ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, got1b);
        try {
            Compat.await("G1 to consume batch B after the restart", 60_000, () -> got1b.size() >= 100,
                () -> "received " + got1b.size() + ", from batch A: " + countPrefix(got1b, "A-"));
            Servers.sleep(3000); // anything redelivered from batch A would show up now
        } finally {
            c1b.shutdown();
        }
        List<String> redelivered = got1b.stream().map(Compat::body).filter(b -> b.startsWith("A-"))
            .collect(Collectors.toList());
        assertTrue(redelivered.isEmpty(), "messages of batch A redelivered to G1 after the restart: " + redelivered);
        assertEquals(batchB, bodies(got1b), "G1 received batch B");
        assertEquals(100, got1b.size(), "G1 received each message of batch B once");

        // a new group reading from the first offset sees all 200
        List<MessageExt> got2 = Compat.syncList();
        DefaultMQPushConsumer c2 = Compat.pushConsumer(fx.servers(), g2, topic, "*",
            ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, got2);
        try {
            Consumption.awaitCount("G2 to consume all 200", 60_000, got2, 200);
        } finally {
            c2.shutdown();
        }
        Set<String> all = new TreeSet<>(batchA);
        all.addAll(batchB);
        assertEquals(all, bodies(got2), "G2 received both batches");
    }

    private static void send(DefaultMQProducer p, String topic, String prefix, Set<String> sent) throws Exception {
        for (int i = 0; i < 100; i++) {
            String body = prefix + "-" + i;
            SendResult r = p.send(new Message(topic, "Tag" + prefix, body.getBytes(StandardCharsets.UTF_8)));
            assertEquals(SendStatus.SEND_OK, r.getSendStatus(), "send " + body);
            sent.add(body);
        }
    }

    private static Set<String> bodies(List<MessageExt> msgs) {
        synchronized (msgs) {
            return msgs.stream().map(Compat::body).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static long countPrefix(List<MessageExt> msgs, String prefix) {
        synchronized (msgs) {
            return new ArrayList<>(msgs).stream().filter(m -> Compat.body(m).startsWith(prefix)).count();
        }
    }
}

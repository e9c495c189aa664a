package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.impl.consumer.ProcessQueue;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** Helpers shared by the consumption scenarios (rebalancing, broadcasting, filters, orderly, reset): admin, topics, sends, waits. */
public final class Consumption {
    private Consumption() {
    }

    public static DefaultMQAdminExt admin(Servers s) throws Exception {
        DefaultMQAdminExt admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(s.nsAddr());
        admin.setInstanceName(Compat.unique("admin"));
        admin.start();
        return admin;
    }

    /** Creates {@code topic} with {@code queues} read and write queues on our broker and waits for its route. */
    public static void createTopic(Servers s, DefaultMQAdminExt admin, String topic, int queues) throws Exception {
        TopicConfig config = new TopicConfig(topic, queues, queues, 6);
        admin.createAndUpdateTopicConfig(s.brokerAddr(), config);
        Compat.awaitRoute(s, topic, 30_000);
    }

    /** The queues of {@code topic} the push consumer currently pulls from (not dropped). */
    public static Set<Integer> queuesOf(DefaultMQPushConsumer c, String topic) {
        Map<MessageQueue, ProcessQueue> table = c.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable();
        return table.entrySet().stream()
            .filter(e -> e.getKey().getTopic().equals(topic) && !e.getValue().isDropped())
            .map(e -> e.getKey().getQueueId())
            .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The queues of {@code topic} the orderly push consumer holds a broker lock on. */
    public static Set<Integer> lockedQueuesOf(DefaultMQPushConsumer c, String topic) {
        Map<MessageQueue, ProcessQueue> table = c.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable();
        return table.entrySet().stream()
            .filter(e -> e.getKey().getTopic().equals(topic) && !e.getValue().isDropped() && e.getValue().isLocked())
            .map(e -> e.getKey().getQueueId())
            .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Sends {@code prefix-0 .. prefix-(n-1)} with {@code tag}, synchronously; fails on anything but SEND_OK. */
    public static void send(DefaultMQProducer p, String topic, String tag, String prefix, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            SendResult r = p.send(new Message(topic, tag, (prefix + "-" + i).getBytes(StandardCharsets.UTF_8)));
            if (r.getSendStatus() != SendStatus.SEND_OK) {
                throw new AssertionError("send " + prefix + "-" + i + ": " + r);
            }
        }
    }

    public static Set<String> bodies(Collection<MessageExt> msgs) {
        synchronized (msgs) {
            return msgs.stream().map(Compat::body).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    public static Set<String> expected(String prefix, int n) {
        Set<String> s = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            s.add(prefix + "-" + i);
        }
        return s;
    }

    /** Waits until {@code sink} holds every body of {@code want}. */
    public static void awaitBodies(String what, long timeoutMs, List<MessageExt> sink, Set<String> want) {
        Compat.await(what, timeoutMs, () -> bodies(sink).containsAll(want), () -> sink.size() + " received");
    }

    /** Waits until {@code sink} holds at least {@code n} deliveries. */
    public static void awaitCount(String what, long timeoutMs, List<?> sink, int n) {
        Compat.await(what, timeoutMs, () -> sink.size() >= n, () -> sink.size() + " received");
    }

    /** A delivered message with the time the listener got it. */
    public static final class Delivery {
        final MessageExt message;
        final long atMs;

        Delivery(MessageExt message, long atMs) {
            this.message = message;
            this.atMs = atMs;
        }
    }

    /** Starts a push consumer for {@code expression} that collects into {@code sink}. */
    public interface Starter {
        DefaultMQPushConsumer start(String expression, List<MessageExt> sink) throws Exception;
    }

    /**
     * Starts one consumer per expression, waits until consumer i got the bodies wanted[i], lingers 2 s (anything else
     * would have arrived by then), asserts that consumer i got exactly those bodies, each once, and shuts them all
     * down; {@code labels[i]} names consumer i in messages.
     */
    public static void assertEachGetsExactly(String[] expressions, String[] labels, List<Set<String>> wanted,
        Starter starter) throws Exception {
        List<List<MessageExt>> sinks = new ArrayList<>();
        List<DefaultMQPushConsumer> consumers = new ArrayList<>();
        try {
            for (String expression : expressions) {
                List<MessageExt> sink = Compat.syncList();
                sinks.add(sink);
                consumers.add(starter.start(expression, sink));
            }
            for (int i = 0; i < labels.length; i++) {
                awaitBodies("the messages of " + labels[i], 30_000, sinks.get(i), wanted.get(i));
            }
            Servers.sleep(2000);
            for (int i = 0; i < labels.length; i++) {
                assertEquals(wanted.get(i), bodies(sinks.get(i)), "bodies for " + labels[i]);
                assertEquals(wanted.get(i).size(), sinks.get(i).size(), "deliveries for " + labels[i]);
            }
        } finally {
            for (DefaultMQPushConsumer c : consumers) {
                c.shutdown();
            }
        }
    }

    /** A lite pull consumer of {@code group} on our NameServer that starts at the first offset; not started yet. */
    public static DefaultLitePullConsumer litePull(Servers s, String group) {
        DefaultLitePullConsumer c = new DefaultLitePullConsumer(group);
        c.setNamesrvAddr(s.nsAddr());
        c.setInstanceName(Compat.unique("lite"));
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        return c;
    }

    /** Polls until every body of {@code want} arrived or {@code timeoutMs} passed, then 1.5 s more so extras show. */
    public static List<MessageExt> pollUntil(DefaultLitePullConsumer c, Set<String> want, long timeoutMs) {
        List<MessageExt> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!bodies(got).containsAll(want) && System.currentTimeMillis() < deadline) {
            got.addAll(c.poll(500));
        }
        got.addAll(c.poll(1500));
        return got;
    }

    /** Bodies delivered more than once in {@code msgs}. */
    public static Set<String> duplicates(List<MessageExt> msgs) {
        Set<String> seen = new HashSet<>();
        Set<String> dup = new TreeSet<>();
        synchronized (msgs) {
            for (MessageExt m : msgs) {
                if (!seen.add(Compat.body(m))) {
                    dup.add(Compat.body(m));
                }
            }
        }
        return dup;
    }

    /** Stops what a test class ({@link CompatFixture}) started, in reverse order; any may be null (boot failed). */
    public static void shutdown(DefaultMQAdminExt admin, DefaultMQProducer producer, Servers servers) {
        if (admin != null) {
            admin.shutdown();
        }
        if (producer != null) {
            producer.shutdown();
        }
        if (servers != null) {
            servers.close();
        }
    }
}

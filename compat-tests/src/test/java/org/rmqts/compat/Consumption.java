package org.rmqts.compat;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.impl.consumer.ProcessQueue;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** Helpers shared by the consumption scenarios (rebalancing, broadcasting, filters, orderly, reset). */
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

    /** Stops what a test class started, in reverse order; any of them may be null (boot failed). */
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

package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.admin.ConsumeStats;
import org.apache.rocketmq.common.admin.OffsetWrapper;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our broker-a and a Java 4.7.1 broker-b in one cluster under our NameServer: one topic created on each broker, sends
 * spread over both, one group drains both with its offsets committed on both, a key query finds messages on both, and
 * mqadmin clusterList / topicRoute / consumerProgress show both brokers.
 */
class OurAndJavaBrokerClusterTest {
    private static final int PER_QUEUE_SENDS = 5;
    private static final int QUEUES = 4;
    private static Servers servers;

    @BeforeAll
    static void start() {
        servers = Servers.startMixed(OurAndJavaBrokerClusterTest.class, Servers.Target.TS, Servers.Target.TS,
            Collections.emptyMap());
        servers.startBrokerB(Servers.Target.JAVA, Collections.emptyMap());
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void oneTopicOnBothBrokers() throws Exception {
        DefaultMQAdminExt admin = Consumption.admin(servers);
        DefaultMQProducer producer = Compat.producer(servers, Compat.unique("pg_2b"));
        try {
            String topic = Compat.unique("two_brokers");
            admin.createAndUpdateTopicConfig(servers.brokerAddr(), new TopicConfig(topic, QUEUES, QUEUES, 6));
            admin.createAndUpdateTopicConfig(servers.brokerBAddr(), new TopicConfig(topic, QUEUES, QUEUES, 6));
            awaitRouteWithBoth(topic);

            String key = Compat.unique("k2b");
            int n = 2 * QUEUES * PER_QUEUE_SENDS;
            Map<String, Integer> perBroker = new TreeMap<>();
            Set<String> queuesUsed = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                Message m = new Message(topic, "TagA", ("m-" + i).getBytes(StandardCharsets.UTF_8));
                m.setKeys(key);
                SendResult r = producer.send(m);
                assertEquals(SendStatus.SEND_OK, r.getSendStatus(), r.toString());
                perBroker.merge(r.getMessageQueue().getBrokerName(), 1, Integer::sum);
                queuesUsed.add(r.getMessageQueue().getBrokerName() + "/" + r.getMessageQueue().getQueueId());
            }
            assertEquals(Map.of("broker-a", n / 2, "broker-b", n / 2), perBroker, "sends per broker");
            assertEquals(2 * QUEUES, queuesUsed.size(), "queues used: " + queuesUsed);

            String group = Compat.unique("cg_2b");
            MixedClusterScenario.consumeExactly(servers, group, topic, "*", Consumption.expected("m", n));
            Map<String, Long> committed = committedPerBroker(admin, group);
            assertEquals(Map.of("broker-a", (long) n / 2, "broker-b", (long) n / 2), committed,
                "offsets committed on each broker");
            assertEquals(n / 2, queryOffsets(servers.brokerPort(), topic, group), "QUERY_CONSUMER_OFFSET on broker-a");
            assertEquals(n / 2, queryOffsets(servers.brokerBPort(), topic, group), "QUERY_CONSUMER_OFFSET on broker-b");

            Set<String> hosts = new TreeSet<>();
            Set<String> bodies = new TreeSet<>();
            Compat.await("a key query to find all " + n + " on both brokers", 20_000, () -> {
                try {
                    hosts.clear();
                    bodies.clear();
                    for (MessageExt m : admin.queryMessage(topic, key, 64, 0, Long.MAX_VALUE).getMessageList()) {
                        bodies.add(Compat.body(m));
                        hosts.add(m.getStoreHost().toString().replaceFirst("^.*/", ""));
                    }
                } catch (Exception e) {
                    return false;
                }
                return bodies.size() == n;
            }, () -> bodies.size() + " found on " + hosts);
            assertEquals(new TreeSet<>(List.of(servers.brokerAddr(), servers.brokerBAddr())), hosts, "store hosts of the key query");

            String ns = servers.nsAddr();
            MqAdmin.Result cluster = ok(ns, "clusterList");
            assertEquals(List.of("broker-a", "broker-b"), column(cluster, "DefaultCluster", 1), cluster.toString());
            assertTrue(cluster.out.contains(servers.brokerAddr()) && cluster.out.contains(servers.brokerBAddr()), cluster.toString());
            MqAdmin.Result route = ok(ns, "topicRoute", "-t", topic);
            assertTrue(route.out.contains(servers.brokerAddr()) && route.out.contains(servers.brokerBAddr())
                && route.out.contains("\"broker-a\"") && route.out.contains("\"broker-b\""), route.toString());
            MqAdmin.Result progress = ok(ns, "consumerProgress", "-g", group);
            List<String> brokers = column(progress, topic, 1);
            assertEquals(2 * QUEUES, brokers.size(), progress.toString());
            assertEquals(new TreeSet<>(List.of("broker-a", "broker-b")), new TreeSet<>(brokers), progress.toString());
            assertTrue(progress.lines().contains("Diff Total: 0"), progress.toString());
        } finally {
            producer.shutdown();
            admin.shutdown();
        }
    }

    private static void awaitRouteWithBoth(String topic) {
        String[] last = {"no answer yet"};
        Compat.await("a route for " + topic + " naming both brokers", 30_000, () -> {
            try (Raw raw = Raw.connect(servers.nsPort())) {
                Raw.Cmd r = raw.call(105, Collections.singletonMap("topic", topic), null, 3000);
                last[0] = r.toString();
                String body = r.body == null ? "" : new String(r.body, StandardCharsets.UTF_8);
                return r.code == 0 && body.contains(servers.brokerAddr()) && body.contains(servers.brokerBAddr());
            } catch (IOException e) {
                last[0] = e.toString();
                return false;
            }
        }, () -> last[0]);
    }

    private static Map<String, Long> committedPerBroker(DefaultMQAdminExt admin, String group) throws Exception {
        ConsumeStats stats = admin.examineConsumeStats(group);
        Map<String, Long> sums = new TreeMap<>();
        for (Map.Entry<MessageQueue, OffsetWrapper> e : stats.getOffsetTable().entrySet()) {
            sums.merge(e.getKey().getBrokerName(), e.getValue().getConsumerOffset(), Long::sum);
        }
        return sums;
    }

    /** The sum of a raw QUERY_CONSUMER_OFFSET over the topic's queues on one broker. */
    private static long queryOffsets(int brokerPort, String topic, String group) throws IOException {
        long sum = 0;
        try (Raw raw = Raw.connect(brokerPort)) {
            for (int q = 0; q < QUEUES; q++) {
                Map<String, String> ext = new HashMap<>();
                ext.put("topic", topic);
                ext.put("consumerGroup", group);
                ext.put("queueId", String.valueOf(q));
                Raw.Cmd r = raw.call(14 /* QUERY_CONSUMER_OFFSET */, ext, null, 3000);
                assertEquals(0, r.code, r.toString());
                sum += Long.parseLong(r.ext.get("offset"));
            }
        }
        return sum;
    }

    private static MqAdmin.Result ok(String ns, String... args) {
        MqAdmin.Result r = MqAdmin.run(ns, args);
        assertFalse(r.failed(), r.toString());
        return r;
    }

    /** Column {@code index} of the rows whose first column is {@code first}, split on runs of spaces. */
    private static List<String> column(MqAdmin.Result r, String first, int index) {
        List<String> values = new ArrayList<>();
        for (String line : r.lines()) {
            String[] cols = line.trim().split("\\s+");
            if (cols[0].equals(first) && cols.length > index) {
                values.add(cols[index]);
            }
        }
        return values;
    }
}

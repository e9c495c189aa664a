package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.apache.rocketmq.client.QueryResult;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.protocol.route.TopicRouteData;
import org.apache.rocketmq.common.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One store directory, two brokers: the real Java 4.7.1 broker ({@code BrokerStartup} with {@code java -cp} and the
 * JDK 17 {@code --add-opens} flags) and ours take turns on it, checked through the official client only.
 *
 * <p>{@link #switchBothWaysAfterCleanShutdown}: Java writes messages (single and batch, keys, tags, a delayed one),
 * topics, a subscription group and a group's consumed offsets, and stops. Ours opens the store: every message is
 * where Java's SendResult said (pull and viewMessage), QUERY_MESSAGE finds keys in Java's index files, topics and
 * the group config are there, the group resumes exactly after what it consumed, and the delayed message is delivered
 * once. Ours adds messages, a topic, a group and offsets, and stops; Java opens the store and sees all of it.
 *
 * <p>{@link #switchBothWaysAfterCrash}: the same hand-over after SIGKILL instead of a clean stop (abort file left,
 * each side recovers the other's unclean store), plus the lock: ours refuses to start on a store a running Java
 * broker holds.
 */
class StoreCompatibilityTest {
    private static final int QUEUES = 4;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void switchBothWaysAfterCleanShutdown() throws Exception {
        try (StoreProcesses p = StoreProcesses.start("StoreCompatibilityTest-clean")) {
            // Java persists delay offsets every flushDelayOffsetInterval (10 s), not at shutdown
            Map<String, String> conf = p.brokerConf(p.work().resolve("store"),
                Map.of("flushDelayOffsetInterval", "500"));
            String topic = Compat.unique("CompatTopic");
            String group = Compat.unique("cg_compat");
            List<StoreChecks.Sent> sent = new ArrayList<>();

            // ---- Java writes
            p.startBroker(StoreProcesses.Kind.JAVA, conf);
            createTopic(p, topic);
            createGroup(p, group, 7);
            String delivered = sendDelayed(p, topic, 1); // 1 s: delivered by Java before the switch
            List<StoreChecks.Sent> batchA = StoreChecks.send(p, topic, "java-A", 60, true);
            sent.addAll(batchA);
            Set<String> expectedA = bodies(batchA);
            expectedA.add(delivered);
            assertEquals(expectedA, consume(p, group, topic, 61, 40_000));
            Servers.sleep(1000); // one delay-offset flush
            List<StoreChecks.Sent> batchB = StoreChecks.send(p, topic, "java-B", 40, false);
            sent.addAll(batchB);
            String delayedBody = sendDelayed(p, topic, 3); // 10 s: due after the switch, sent by ours
            p.stopBroker();
            assertTrue(Files.exists(p.work().resolve("store/config/consumerOffset.json")));

            // ---- ours reads Java's store
            p.startBroker(StoreProcesses.Kind.TS, conf);
            StoreChecks.awaitRoute(p, topic, 30_000);
            expectStored(p, topic, sent);
            expectQueryByKey(p, topic, batchA.get(7));
            expectTopicAndGroup(p, topic, group, 7);
            Set<String> resumed = consume(p, group, topic, batchB.size() + 1, 40_000);
            Set<String> expected = bodies(batchB);
            expected.add(delayedBody);
            assertEquals(expected, resumed,
                "the group resumes after what it consumed on Java; ours delivers the pending delayed message, not the"
                    + " one Java delivered (delayOffset.json)");

            // ---- ours writes
            String topic2 = Compat.unique("CompatTopicTs");
            String group2 = Compat.unique("cg_compat_ts");
            createTopic(p, topic2);
            createGroup(p, group2, 9);
            List<StoreChecks.Sent> batchC = StoreChecks.send(p, topic, "ts-C", 50, true);
            sent.addAll(batchC);
            List<StoreChecks.Sent> other = StoreChecks.send(p, topic2, "ts-other", 20, false);
            assertEquals(bodies(batchC), consume(p, group, topic, 50, 40_000));
            p.stopBroker();

            // ---- Java reads ours
            p.startBroker(StoreProcesses.Kind.JAVA, conf);
            StoreChecks.awaitRoute(p, topic2, 30_000);
            expectStored(p, topic, sent);
            expectStored(p, topic2, other);
            expectQueryByKey(p, topic, batchC.get(11));
            expectTopicAndGroup(p, topic2, group2, 9);
            List<StoreChecks.Sent> batchD = StoreChecks.send(p, topic, "java-D", 10, false);
            assertEquals(bodies(batchD), consume(p, group, topic, 10, 40_000), "Java honours offsets ours wrote");
            p.stopBroker();
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void switchBothWaysAfterCrash() throws Exception {
        try (StoreProcesses p = StoreProcesses.start("StoreCompatibilityTest-crash")) {
            Path store = p.work().resolve("store");
            Map<String, String> conf = p.brokerConf(store, Map.of("flushDiskType", "ASYNC_FLUSH"));
            String topic = Compat.unique("CrashCompat");
            List<StoreChecks.Sent> sent = new ArrayList<>();

            p.startBroker(StoreProcesses.Kind.JAVA, conf);
            createTopic(p, topic);
            sent.addAll(StoreChecks.send(p, topic, "java", 150, true));
            expectLockRefused(p, conf);
            p.killBroker();
            assertTrue(Files.exists(store.resolve("abort")), "a killed Java broker leaves its abort file");

            p.startBroker(StoreProcesses.Kind.TS, conf);
            StoreChecks.awaitRoute(p, topic, 30_000);
            expectStored(p, topic, sent);
            sent.addAll(StoreChecks.send(p, topic, "ts", 150, true));
            p.killBroker();
            assertTrue(Files.exists(store.resolve("abort")), "a killed broker of ours leaves its abort file");

            p.startBroker(StoreProcesses.Kind.JAVA, conf);
            StoreChecks.awaitRoute(p, topic, 30_000);
            expectStored(p, topic, sent);
            expectQueryByKey(p, topic, sent.get(200));
            p.stopBroker();
        }
    }

    private static Set<String> bodies(List<StoreChecks.Sent> sent) {
        Set<String> out = new TreeSet<>();
        sent.forEach(s -> out.add(s.body()));
        return out;
    }

    private static DefaultMQAdminExt admin(StoreProcesses p) throws Exception {
        DefaultMQAdminExt admin = new DefaultMQAdminExt(5000);
        admin.setNamesrvAddr(p.nsAddr());
        admin.setInstanceName(Compat.unique("compat_admin"));
        admin.start();
        return admin;
    }

    private static void createTopic(StoreProcesses p, String topic) throws Exception {
        DefaultMQAdminExt admin = admin(p);
        try {
            admin.createAndUpdateTopicConfig(p.brokerAddr(), new TopicConfig(topic, QUEUES, QUEUES, 6));
        } finally {
            admin.shutdown();
        }
        StoreChecks.awaitRoute(p, topic, 30_000);
    }

    private static void createGroup(StoreProcesses p, String group, int retryMaxTimes) throws Exception {
        SubscriptionGroupConfig config = new SubscriptionGroupConfig();
        config.setGroupName(group);
        config.setRetryMaxTimes(retryMaxTimes);
        DefaultMQAdminExt admin = admin(p);
        try {
            admin.createAndUpdateSubscriptionGroupConfig(p.brokerAddr(), config);
        } finally {
            admin.shutdown();
        }
    }

    /** A message with delayTimeLevel {@code level}; returns its body. */
    private static String sendDelayed(StoreProcesses p, String topic, int level) throws Exception {
        DefaultMQProducer producer = StoreChecks.producer(p);
        try {
            String body = "delayed-" + Compat.unique("d");
            Message msg = new Message(topic, "delayed", body.getBytes(StandardCharsets.UTF_8));
            msg.setDelayTimeLevel(level);
            assertEquals(SendStatus.SEND_OK, producer.send(msg).getSendStatus());
            return body;
        } finally {
            producer.shutdown();
        }
    }

    /** Push consumer of {@code group} until {@code count} distinct bodies arrived (then a 2 s linger for extras). */
    private static Set<String> consume(StoreProcesses p, String group, String topic, int count, long timeoutMs)
        throws Exception {
        Set<String> got = java.util.Collections.synchronizedSet(new TreeSet<>());
        List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
        DefaultMQPushConsumer c = new DefaultMQPushConsumer(group);
        c.setNamesrvAddr(p.nsAddr());
        c.setInstanceName(Compat.unique("compat_consumer"));
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.setAwaitTerminationMillisWhenShutdown(5_000);
        c.subscribe(topic, "*");
        c.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                got.add(Compat.body(m));
                all.add(Compat.body(m));
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        c.start();
        try {
            Compat.await(count + " messages for " + group, timeoutMs, () -> got.size() >= count,
                () -> got.size() + " so far");
            Servers.sleep(2000);
        } finally {
            c.shutdown(); // persists the group's offsets on the broker
        }
        assertEquals(got.size(), all.size(), "no message delivered twice");
        return new TreeSet<>(got);
    }

    private static void expectStored(StoreProcesses p, String topic, List<StoreChecks.Sent> sent) throws Exception {
        List<String> problems = new ArrayList<>();
        Map<Integer, List<MessageExt>> queues = StoreChecks.readAllQueues(p, topic, QUEUES, problems);
        problems.addAll(StoreChecks.misplaced(queues, sent));
        problems.addAll(StoreChecks.viewByOffsetMsgId(p, sent));
        assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())), topic + ": " + problems.size()
            + " problems");
    }

    private static void expectQueryByKey(StoreProcesses p, String topic, StoreChecks.Sent target) throws Exception {
        DefaultMQAdminExt admin = admin(p);
        try {
            QueryResult r = admin.queryMessage(topic, target.key(), 32, 0, Long.MAX_VALUE);
            List<String> found = new ArrayList<>();
            r.getMessageList().forEach(m -> found.add(Compat.body(m)));
            assertEquals(List.of(target.body()), found, "QUERY_MESSAGE by key " + target.key());
            MessageExt byId = admin.viewMessage(topic, target.msgId()); // by UNIQ_KEY
            assertEquals(target.body(), Compat.body(byId));
        } finally {
            admin.shutdown();
        }
    }

    /** The broker's own tables (GET_ALL_TOPIC_CONFIG / GET_ALL_SUBSCRIPTIONGROUP_CONFIG) and the route. */
    private static void expectTopicAndGroup(StoreProcesses p, String topic, String group, int retryMaxTimes)
        throws Exception {
        DefaultMQAdminExt admin = admin(p);
        try {
            TopicConfig topicConfig = admin.getAllTopicGroup(p.brokerAddr(), 5000).getTopicConfigTable().get(topic);
            assertNotNull(topicConfig, "topic " + topic + " in the broker's topic table");
            assertEquals(QUEUES, topicConfig.getReadQueueNums());
            assertEquals(QUEUES, topicConfig.getWriteQueueNums());
            assertEquals(6, topicConfig.getPerm());
            TopicRouteData route = admin.examineTopicRouteInfo(topic);
            assertEquals(QUEUES, route.getQueueDatas().get(0).getWriteQueueNums());
            SubscriptionGroupConfig config =
                admin.getAllSubscriptionGroup(p.brokerAddr(), 5000).getSubscriptionGroupTable().get(group);
            assertNotNull(config, "group " + group + " in the broker's subscription group table");
            assertEquals(retryMaxTimes, config.getRetryMaxTimes());
        } finally {
            admin.shutdown();
        }
    }

    /** Our broker must not start on a store a running Java broker holds (its fcntl lock shows in /proc/locks). */
    private static void expectLockRefused(StoreProcesses p, Map<String, String> conf) throws Exception {
        Map<String, String> second = new HashMap<>(conf);
        second.put("listenPort", String.valueOf(Servers.freePort(true)));
        Servers.Child child = p.launchSecondBroker(StoreProcesses.Kind.TS, second);
        try {
            assertTrue(child.process.waitFor(30, TimeUnit.SECONDS), "second broker should give up");
            assertNotEquals(0, child.process.exitValue());
            Servers.sleep(200);
            assertTrue(child.tail().contains("Lock failed"), child.tail());
        } finally {
            child.process.destroyForcibly();
        }
    }
}

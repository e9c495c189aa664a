package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.impl.MQClientManager;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.admin.ConsumeStats;
import org.apache.rocketmq.common.admin.OffsetWrapper;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.protocol.body.BrokerStatsData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every mqadmin command an operator uses day to day, run through the 4.7.1 {@code MQAdminStartup} against the servers
 * (ts by default, Java with {@code -Dcompat.target=java}), after a producer sent {@value #MESSAGES} messages and a push
 * consumer consumed them. Each test checks what the command printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MqAdminTest {
    static final int MESSAGES = 20;
    /** The keys GET_BROKER_RUNTIME_INFO has on a Java 4.7.1 broker (mqadmin brokerStatus prints them all). */
    static final List<String> JAVA_RUNTIME_KEYS = Arrays.asList(
        "EndTransactionQueueSize", "EndTransactionThreadPoolQueueCapacity", "bootTimestamp", "brokerVersion",
        "brokerVersionDesc", "commitLogDirCapacity", "commitLogDiskRatio", "commitLogMaxOffset", "commitLogMinOffset",
        "consumeQueueDiskRatio", "dispatchBehindBytes", "dispatchMaxBuffer", "earliestMessageTimeStamp", "getFoundTps",
        "getMessageEntireTimeMax", "getMissTps", "getTotalTps", "getTransferedTps", "msgGetTotalTodayMorning",
        "msgGetTotalTodayNow", "msgGetTotalYesterdayMorning", "msgPutTotalTodayMorning", "msgPutTotalTodayNow",
        "msgPutTotalYesterdayMorning", "pageCacheLockTimeMills", "pullThreadPoolQueueCapacity",
        "pullThreadPoolQueueHeadWaitTimeMills", "pullThreadPoolQueueSize", "putMessageAverageSize",
        "putMessageDistributeTime", "putMessageEntireTimeMax", "putMessageSizeTotal", "putMessageTimesTotal", "putTps",
        "queryThreadPoolQueueCapacity", "queryThreadPoolQueueHeadWaitTimeMills", "queryThreadPoolQueueSize",
        "remainHowManyDataToFlush", "remainTransientStoreBufferNumbs", "runtime", "sendThreadPoolQueueCapacity",
        "sendThreadPoolQueueHeadWaitTimeMills", "sendThreadPoolQueueSize", "startAcceptSendRequestTimeStamp");

    private static Servers servers;
    private static String ns;
    private static String broker;
    private static final String TOPIC = Compat.unique("AdminTopic");
    private static final String PRODUCER_GROUP = Compat.unique("pg_admin");
    private static final String GROUP = Compat.unique("cg_admin");
    private static DefaultMQProducer producer;
    private static DefaultMQPushConsumer consumer;
    private static DefaultMQAdminExt admin;
    private static final List<SendResult> SENT = new ArrayList<>();
    private static final List<MessageExt> RECEIVED = Compat.syncList();

    @BeforeAll
    static void boot() throws Exception {
        servers = Servers.start(MqAdminTest.class);
        ns = servers.nsAddr();
        broker = servers.brokerAddr();
        MqAdmin.Result created = MqAdmin.run(ns, "updateTopic", "-b", broker, "-t", TOPIC, "-r", "4", "-w", "4");
        assertTrue(created.out.contains("create topic to " + broker + " success."), created.toString());
        Compat.awaitRoute(servers, TOPIC, 15_000);
        producer = Compat.producer(servers, PRODUCER_GROUP);
        for (int i = 0; i < MESSAGES; i++) {
            Message m = new Message(TOPIC, "TagA", "key-" + i, ("admin-" + i).getBytes(StandardCharsets.UTF_8));
            SendResult r = producer.send(m);
            assertEquals(SendStatus.SEND_OK, r.getSendStatus());
            SENT.add(r);
        }
        // The client's first heartbeat to the broker it learnt from the sends' route comes 1 s after its
        // start (then every 30 s); send it now, so producerConnection does not depend on how fast the rest runs.
        producer.getDefaultMQProducerImpl().getmQClientFactory().sendHeartbeatToAllBrokerWithLock();
        consumer = new DefaultMQPushConsumer(GROUP);
        consumer.setNamesrvAddr(ns);
        consumer.setInstanceName(Compat.unique("consumer"));
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setPersistConsumerOffsetInterval(1000);
        consumer.subscribe(TOPIC, "*");
        consumer.registerMessageListener((org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently)
            (msgs, ctx) -> {
                RECEIVED.addAll(msgs);
                return org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
        consumer.start();
        admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(ns);
        admin.setInstanceName(Compat.unique("admin"));
        admin.start();
        Compat.await("all messages consumed", 30_000, () -> RECEIVED.size() >= MESSAGES, () -> RECEIVED.size() + " received");
        Compat.await("zero lag in consume stats", 15_000, () -> lag(TOPIC) == 0, () -> "lag " + lag(TOPIC));
    }

    @AfterAll
    static void shutdown() {
        if (consumer != null) {
            consumer.shutdown();
        }
        if (producer != null) {
            producer.shutdown();
        }
        if (admin != null) {
            admin.shutdown();
        }
        if (servers != null) {
            servers.close();
        }
    }

    /** Broker offset minus consumer offset over the topic's queues; -1 while the group has no stats. */
    private static long lag(String topic) {
        try {
            ConsumeStats stats = admin.examineConsumeStats(GROUP);
            long lag = 0;
            boolean any = false;
            for (Map.Entry<MessageQueue, OffsetWrapper> e : stats.getOffsetTable().entrySet()) {
                if (e.getKey().getTopic().equals(topic)) {
                    any = true;
                    lag += e.getValue().getBrokerOffset() - e.getValue().getConsumerOffset();
                }
            }
            return any ? lag : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static MqAdmin.Result mqadmin(String... args) {
        return MqAdmin.run(ns, args);
    }

    private static MqAdmin.Result ok(String... args) {
        MqAdmin.Result r = MqAdmin.run(ns, args);
        assertFalse(r.failed(), r.toString());
        return r;
    }

    /** The rows of a table whose first column is {@code first}, split on runs of spaces. */
    private static List<String[]> rows(MqAdmin.Result r, String first) {
        List<String[]> rows = new ArrayList<>();
        for (String line : r.lines()) {
            String[] cols = line.trim().split("\\s+");
            if (cols[0].equals(first)) {
                rows.add(cols);
            }
        }
        return rows;
    }

    @Test
    @Order(1)
    void clusterListShowsTheBrokerWithItsVersion() {
        MqAdmin.Result r = ok("clusterList");
        List<String[]> rows = rows(r, "DefaultCluster");
        assertEquals(1, rows.size(), r.toString());
        assertEquals(Arrays.asList("DefaultCluster", "broker-a", "0", broker, "V4_7_1"),
            Arrays.asList(rows.get(0)).subList(0, 5), r.toString());
        assertTrue(rows.get(0)[5].matches("\\d+\\.\\d\\d\\(0,0ms\\)"), "InTPS(LOAD) column: " + r);
    }

    @Test
    @Order(2)
    void brokerStatusPrintsEveryRuntimeKeyInJavaFormats() {
        MqAdmin.Result r = ok("brokerStatus", "-b", broker);
        Map<String, String> kv = r.keyValues("\\s*:\\s");
        assertTrue(kv.keySet().containsAll(JAVA_RUNTIME_KEYS), "missing " + missing(kv) + " in " + r);
        assertEquals("V4_7_1", kv.get("brokerVersionDesc"));
        assertEquals("355", kv.get("brokerVersion"));
        assertTrue(Long.parseLong(kv.get("msgPutTotalTodayNow")) >= MESSAGES, r.toString());
        assertTrue(Long.parseLong(kv.get("msgGetTotalTodayNow")) >= MESSAGES, r.toString());
        assertTrue(kv.get("runtime").matches("\\[ \\d+ days, \\d+ hours, \\d+ minutes, \\d+ seconds \\]"), r.toString());
        assertTrue(kv.get("getTotalTps").matches("[\\d.E-]+ [\\d.E-]+ [\\d.E-]+"), r.toString());
        // Like Java's StoreStatsService, a window with fewer than 10 one-second samples prints nothing,
        // so a broker younger than ~11 s answers a blank putTps.
        String putTps = kv.get("putTps").trim();
        assertTrue(putTps.isEmpty() || putTps.matches("[\\d.E-]+ ?[\\d.E-]* ?[\\d.E-]*"), r.toString());
        assertTrue(kv.get("commitLogDirCapacity").matches("Total : [\\d.]+ \\w+, Free : [\\d.]+ \\w+\\."), r.toString());
        // Java reads the oldest record with a maxMessageSize*2 window and gets -1 until the commit log holds 8 MiB
        long earliest = Long.parseLong(kv.get("earliestMessageTimeStamp"));
        assertTrue(earliest == -1 || Math.abs(System.currentTimeMillis() - earliest) < 300_000, r.toString());
    }

    private static List<String> missing(Map<String, String> kv) {
        List<String> missing = new ArrayList<>(JAVA_RUNTIME_KEYS);
        missing.removeAll(kv.keySet());
        return missing;
    }

    @Test
    @Order(3)
    void topicListRouteAndClusterShowTheTopic() {
        assertTrue(ok("topicList").lines().contains(TOPIC));
        MqAdmin.Result withCluster = ok("topicList", "-c");
        assertTrue(withCluster.lines().stream().anyMatch(l -> l.trim().matches("DefaultCluster\\s+" + TOPIC + "\\s+" + GROUP)),
            withCluster.toString());
        MqAdmin.Result route = ok("topicRoute", "-t", TOPIC);
        assertTrue(route.out.contains("\"brokerName\":\"broker-a\"") && route.out.contains("\"writeQueueNums\":4")
            && route.out.contains(broker), route.toString());
        assertEquals(List.of("DefaultCluster"), ok("topicClusterList", "-t", TOPIC).lines());
    }

    @Test
    @Order(4)
    void topicStatusShowsTheOffsetsOfEveryQueue() {
        MqAdmin.Result r = ok("topicStatus", "-t", TOPIC);
        List<String[]> rows = rows(r, "broker-a");
        assertEquals(4, rows.size(), r.toString());
        long total = 0;
        for (String[] row : rows) {
            assertEquals("0", row[2], "min offset: " + r);
            total += Long.parseLong(row[3]);
            if (Long.parseLong(row[3]) > 0) {
                assertTrue(row.length >= 6 && row[4].matches("\\d{4}-\\d\\d-\\d\\d"), "last updated: " + r);
            }
        }
        assertEquals(MESSAGES, total, r.toString());
    }

    @Test
    @Order(5)
    void consumerProgressShowsZeroLagAfterConsumption() {
        MqAdmin.Result r = ok("consumerProgress", "-g", GROUP);
        List<String[]> rows = rows(r, TOPIC);
        assertEquals(4, rows.size(), r.toString());
        long consumed = 0;
        for (String[] row : rows) {
            assertEquals(row[3], row[4], "broker offset = consumer offset: " + r);
            assertEquals("0", row[6], "diff: " + r);
            consumed += Long.parseLong(row[4]);
        }
        assertEquals(MESSAGES, consumed, r.toString());
        assertTrue(r.lines().contains("Diff Total: 0"), r.toString());
        MqAdmin.Result all = ok("consumerProgress");
        assertTrue(all.lines().stream().anyMatch(l -> l.startsWith(GROUP + " ") && l.contains("CLUSTERING")), all.toString());
    }

    @Test
    @Order(6)
    void connectionsShowTheLiveProducerAndConsumer() {
        MqAdmin.Result c = ok("consumerConnection", "-g", GROUP);
        assertTrue(c.out.contains(consumer.getDefaultMQPushConsumerImpl().getmQClientFactory().getClientId()), c.toString());
        assertTrue(c.out.matches("(?s).*\\d{3}\\s+Topic: " + TOPIC + "\\s+SubExpression: \\*.*"), c.toString());
        assertTrue(c.lines().containsAll(List.of("ConsumeType: CONSUME_PASSIVELY", "MessageModel: CLUSTERING",
            "ConsumeFromWhere: CONSUME_FROM_FIRST_OFFSET")), c.toString());
        MqAdmin.Result p = ok("producerConnection", "-g", PRODUCER_GROUP, "-t", TOPIC);
        String producerId = producer.getDefaultMQProducerImpl().getmQClientFactory().getClientId();
        assertTrue(p.lines().stream().anyMatch(l -> l.matches("0001\\s+" + Pattern.quote(producerId) + "\\s+127\\.0\\.0\\.1:\\d+\\s+JAVA\\s+V4_7_1")),
            p.toString());
    }

    @Test
    @Order(7)
    void messagesAreFoundByIdKeyUniqueKeyAndOffset() {
        SendResult sent = SENT.get(3);
        MqAdmin.Result byId = ok("queryMsgById", "-i", sent.getOffsetMsgId());
        assertMessagePrinted(byId, sent, "key-3");
        assertTrue(byId.out.contains("consumerGroup=" + GROUP + ", trackType=CONSUMED"), byId.toString());

        MqAdmin.Result byKey = ok("queryMsgByKey", "-t", TOPIC, "-k", "key-3");
        List<String[]> rows = rows(byKey, sent.getMsgId());
        assertEquals(1, rows.size(), byKey.toString());
        assertEquals(String.valueOf(sent.getMessageQueue().getQueueId()), rows.get(0)[1]);
        assertEquals(String.valueOf(sent.getQueueOffset()), rows.get(0)[2]);

        assertMessagePrinted(ok("queryMsgByUniqueKey", "-t", TOPIC, "-i", sent.getMsgId()), sent, "key-3");
        assertMessagePrinted(ok("queryMsgByOffset", "-t", TOPIC, "-b", "broker-a",
            "-i", String.valueOf(sent.getMessageQueue().getQueueId()), "-o", String.valueOf(sent.getQueueOffset())), sent, "key-3");
    }

    private static void assertMessagePrinted(MqAdmin.Result r, SendResult sent, String key) {
        Map<String, String> kv = r.keyValues(":\\s+");
        assertEquals(TOPIC, kv.get("Topic"), r.toString());
        assertEquals("[TagA]", kv.get("Tags"), r.toString());
        assertEquals("[" + key + "]", kv.get("Keys"), r.toString());
        assertEquals(String.valueOf(sent.getMessageQueue().getQueueId()), kv.get("Queue ID"), r.toString());
        assertEquals(String.valueOf(sent.getQueueOffset()), kv.get("Queue Offset"), r.toString());
        assertEquals(broker, kv.get("Store Host"), r.toString());
    }

    @Test
    @Order(8)
    void statsAllAndBrokerConsumeStatsCountSendsAndPulls() throws Exception {
        // the stats windows are sampled every 10 s: wait for the first sample after the sends
        Compat.await("TOPIC_PUT_NUMS sampled", 15_000, () -> putsCounted() >= MESSAGES, () -> "sum " + putsCounted());
        MqAdmin.Result stats = ok("statsAll", "-t", TOPIC);
        List<String[]> rows = rows(stats, TOPIC);
        assertEquals(1, rows.size(), stats.toString());
        assertEquals(GROUP, rows.get(0)[1], stats.toString());
        assertEquals("0", rows.get(0)[2], "accumulation: " + stats);
        assertEquals(String.valueOf(MESSAGES), rows.get(0)[5], "in msgs 24h: " + stats);
        assertTrue(Long.parseLong(rows.get(0)[6]) >= MESSAGES, "out msgs 24h: " + stats);
        BrokerStatsData brokerPuts = admin.viewBrokerStatsData(broker, "BROKER_PUT_NUMS", "DefaultCluster");
        assertTrue(brokerPuts.getStatsMinute().getSum() >= MESSAGES, "BROKER_PUT_NUMS minute sum");

        MqAdmin.Result perBroker = ok("brokerConsumeStats", "-b", broker);
        List<String[]> brokerRows = rows(perBroker, TOPIC);
        assertEquals(4, brokerRows.size(), perBroker.toString());
        for (String[] row : brokerRows) {
            assertEquals(GROUP, row[1], perBroker.toString());
            assertEquals(row[4], row[5], "broker = consumer offset: " + perBroker);
        }
        assertTrue(perBroker.out.contains("Diff Total: 0"), perBroker.toString());
    }

    private static long putsCounted() {
        try {
            return admin.viewBrokerStatsData(broker, "TOPIC_PUT_NUMS", TOPIC).getStatsMinute().getSum();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    @Order(9)
    void brokerConfigIsReadUpdatedAndPersisted() throws Exception {
        Map<String, String> before = ok("getBrokerConfig", "-b", broker).keyValues("=\\s+");
        assertEquals("broker-a", before.get("brokerName"));
        assertEquals("DefaultCluster", before.get("brokerClusterName"));
        assertEquals("5000", before.get("flushConsumerOffsetInterval"));
        MqAdmin.Result update = ok("updateBrokerConfig", "-b", broker, "-k", "flushConsumerOffsetInterval", "-v", "4000");
        assertTrue(update.out.contains("update broker config success, " + broker), update.toString());
        assertEquals("4000", ok("getBrokerConfig", "-b", broker).keyValues("=\\s+").get("flushConsumerOffsetInterval"));
        String persisted = new String(Files.readAllBytes(servers.workDir().resolve("broker.conf")), StandardCharsets.UTF_8);
        assertTrue(persisted.contains("flushConsumerOffsetInterval=4000"), persisted);
    }

    @Test
    @Order(10)
    void subscriptionGroupsAreCreatedAndDeleted() throws Exception {
        String group = Compat.unique("cg_made");
        MqAdmin.Result made = ok("updateSubGroup", "-b", broker, "-g", group, "-r", "5");
        assertTrue(made.out.contains("create subscription group to " + broker + " success."), made.toString());
        assertEquals(5, admin.getAllSubscriptionGroup(broker, 5000).getSubscriptionGroupTable().get(group).getRetryMaxTimes());
        MqAdmin.Result deleted = ok("deleteSubGroup", "-b", broker, "-g", group);
        assertTrue(deleted.out.contains("delete subscription group [" + group + "] from broker [" + broker + "] success."),
            deleted.toString());
        assertTrue(admin.getAllSubscriptionGroup(broker, 5000).getSubscriptionGroupTable().get(group) == null);
    }

    @Test
    @Order(11)
    void groupOffsetsAreClonedAndTheConsumeQueueIsReadable() throws Exception {
        String copy = Compat.unique("cg_copy");
        MqAdmin.Result cloned = ok("cloneGroupOffset", "-s", GROUP, "-d", copy, "-t", TOPIC);
        assertTrue(cloned.out.contains("clone group offset success"), cloned.toString());
        long copied = 0;
        // the copy has no %RETRY% route, so examineConsumeStats cannot find it: ask the broker directly
        ConsumeStats copyStats = MQClientManager.getInstance().getOrCreateMQClientInstance(admin).getMQClientAPIImpl()
            .getConsumeStats(broker, copy, TOPIC, 5000);
        for (Map.Entry<MessageQueue, OffsetWrapper> e : copyStats.getOffsetTable().entrySet()) {
            copied += e.getValue().getConsumerOffset();
        }
        assertEquals(MESSAGES, copied);

        SendResult sent = SENT.get(0);
        MqAdmin.Result cq = ok("queryCq", "-t", TOPIC, "-q", String.valueOf(sent.getMessageQueue().getQueueId()),
            "-i", "0", "-c", "2", "-b", broker);
        long commitLogOffset = MessageDecoder.decodeMessageId(sent.getOffsetMsgId()).getOffset();
        assertTrue(cq.out.contains("idx: 0\nConsumeQueueData{physicOffset=" + commitLogOffset + ","), cq.toString());
    }

    @Test
    @Order(12)
    void topicPermAndOrderConfChange() {
        MqAdmin.Result perm = ok("updateTopicPerm", "-t", TOPIC, "-b", broker, "-p", "4");
        assertTrue(perm.out.contains("update topic perm from 6 to 4 in " + broker + " success."), perm.toString());
        assertTrue(ok("updateTopicPerm", "-t", TOPIC, "-b", broker, "-p", "6").out.contains("from 4 to 6"));
        String conf = "broker-a:4";
        assertTrue(ok("updateOrderConf", "-t", TOPIC, "-v", conf, "-m", "put").out.contains("update orderConf success"));
        MqAdmin.Result get = ok("updateOrderConf", "-t", TOPIC, "-m", "get");
        assertTrue(get.out.contains("orderConf=[" + conf + "]"), get.toString());
        assertTrue(ok("updateOrderConf", "-t", TOPIC, "-m", "delete").out.contains("delete orderConf success"));
        // an order topic: the broker-side flag plus the ORDER_TOPIC_CONFIG KV on the NameServer
        String ordered = Compat.unique("OrderedTopic");
        // mqadmin first reads the current conf and prints the QUERY_NOT_FOUND (22) exception for a new topic, as with Java
        MqAdmin.Result order = mqadmin("updateTopic", "-b", broker, "-t", ordered, "-r", "2", "-w", "2", "-o", "true");
        assertTrue(order.err.isEmpty() || order.err.contains("CODE: 22"), order.toString());
        assertTrue(order.out.contains("set broker orderConf. isOrder=true, orderConf=[broker-a:2]"), order.toString());
        assertTrue(ok("updateOrderConf", "-t", ordered, "-m", "get").out.contains("orderConf=[broker-a:2]"));
    }

    @Test
    @Order(13)
    void nameServerConfigAndKvAreReadAndUpdated() throws Exception {
        Map<String, String> config = ok("getNamesrvConfig").keyValues("=\\s+");
        assertEquals(String.valueOf(servers.nsPort()), config.get("listenPort"), config.toString());
        MqAdmin.Result update = ok("updateNamesrvConfig", "-k", "productEnvName", "-v", "compat");
        assertTrue(update.out.contains("update name server config success!"), update.toString());
        assertEquals("compat", ok("getNamesrvConfig").keyValues("=\\s+").get("productEnvName"));
        assertTrue(ok("updateKvConfig", "-s", "compatNs", "-k", "k1", "-v", "v1").out
            .contains("create or update kv config to namespace success."));
        assertEquals("v1", admin.getKVConfig("compatNs", "k1"));
        assertTrue(ok("deleteKvConfig", "-s", "compatNs", "-k", "k1").out.contains("delete kv config from namespace success."));
    }

    @Test
    @Order(14)
    void housekeepingCommandsSucceed() {
        assertTrue(ok("cleanExpiredCQ", "-b", broker).out.contains("success"));
        assertTrue(ok("cleanUnusedTopic", "-b", broker).out.contains("success"));
        assertTrue(ok("topicStatus", "-t", TOPIC).lines().size() > 1, "topic intact after housekeeping");
    }

    @Test
    @Order(15)
    void sendCommandsStoreMessages() {
        MqAdmin.Result sent = ok("sendMessage", "-t", TOPIC, "-p", "from-mqadmin", "-k", "mqadmin-key");
        assertTrue(sent.lines().stream().anyMatch(l -> l.matches("broker-a\\s+\\d\\s+SEND_OK\\s+\\w+")), sent.toString());
        MqAdmin.Result rt = ok("checkMsgSendRT", "-t", TOPIC, "-a", "3", "-s", "64");
        assertEquals(3, rows(rt, "broker-a").size(), rt.toString());
    }

    @Test
    @Order(16)
    void printConsumeAllocateAndStatusCommandsWork() {
        String clientId = consumer.getDefaultMQPushConsumerImpl().getmQClientFactory().getClientId();
        MqAdmin.Result status = ok("consumerStatus", "-g", GROUP, "-i", clientId);
        assertTrue(status.out.contains("#Consumer Subscription#") && status.out.contains(TOPIC), status.toString());
        MqAdmin.Result printed = ok("printMsg", "-t", TOPIC, "-d", "true");
        assertTrue(printed.lines().stream().filter(l -> l.startsWith("MSGID: ")).count() >= MESSAGES, printed.toString());
        assertTrue(printed.out.contains("BODY: admin-3"), printed.toString());
        MqAdmin.Result byQueue = ok("printMsgByQueue", "-t", TOPIC, "-a", "broker-a", "-i", "0", "-p", "true", "-d", "true");
        assertTrue(byQueue.out.contains("MSGID: "), byQueue.toString());
        MqAdmin.Result consumed = ok("consumeMessage", "-t", TOPIC, "-b", "broker-a", "-i", "0", "-o", "0", "-c", "2");
        assertTrue(consumed.out.contains("MSGID: "), consumed.toString());
        MqAdmin.Result allocated = ok("allocateMQ", "-t", TOPIC, "-i", "127.0.0.1@a,127.0.0.1@b");
        assertTrue(allocated.out.contains("127.0.0.1@a") && allocated.out.contains("\"queueId\":3"), allocated.toString());
        MqAdmin.Result probe = ok("sendMsgStatus", "-b", "broker-a", "-c", "2", "-s", "64");
        assertTrue(probe.out.contains("sendStatus=SEND_OK"), probe.toString());
    }

    @Test
    @Order(17)
    void resetOffsetByTimeMovesTheLiveConsumerBack() {
        int before = RECEIVED.size();
        MqAdmin.Result reset = ok("resetOffsetByTime", "-g", GROUP, "-t", TOPIC, "-s", "0");
        assertTrue(reset.out.contains("rollback consumer offset by specified group[" + GROUP + "]"), reset.toString());
        Compat.await("messages redelivered after the reset", 20_000, () -> RECEIVED.size() >= before + MESSAGES,
            () -> (RECEIVED.size() - before) + " redelivered");
    }

    @Test
    @Order(18)
    void deleteTopicRemovesItFromBrokerAndNameServer() {
        String doomed = Compat.unique("DoomedTopic");
        assertTrue(ok("updateTopic", "-c", "DefaultCluster", "-t", doomed).out.contains("create topic to " + broker + " success."));
        Compat.awaitRoute(servers, doomed, 15_000);
        MqAdmin.Result deleted = ok("deleteTopic", "-c", "DefaultCluster", "-t", doomed);
        assertTrue(deleted.out.contains("delete topic [" + doomed + "] from cluster [DefaultCluster] success."), deleted.toString());
        assertFalse(ok("topicList").lines().contains(doomed));
        assertTrue(mqadmin("topicRoute", "-t", doomed).failed(), "route of a deleted topic must fail");
    }

    @Test
    @Order(19)
    void badInputsGiveAnErrorNotACrash() {
        assertTrue(mqadmin("topicStatus", "-t", "NoSuchTopic_" + System.nanoTime()).failed());
        assertTrue(mqadmin("consumerProgress", "-g", "NoSuchGroup_" + System.nanoTime()).failed());
        assertTrue(mqadmin("consumerConnection", "-g", "NoSuchGroup_" + System.nanoTime()).failed());
        assertTrue(mqadmin("queryMsgById", "-i", "7F0000010000000000000000DEADBEEF").failed());
        assertEquals(1, rows(ok("clusterList"), "DefaultCluster").size(), "servers still answer");
    }

    @Test
    @Order(20)
    void wipeWritePermDrainsTheBrokerUntilItsPermissionIsRestored() {
        MqAdmin.Result wipe = ok("wipeWritePerm", "-b", "broker-a");
        Matcher m = Pattern.compile("wipe write perm of broker\\[broker-a\\] in name server\\[" + Pattern.quote(ns)
            + "\\] OK, (\\d+)").matcher(wipe.out);
        assertTrue(m.find() && Integer.parseInt(m.group(1)) > 0, wipe.toString());
        assertTrue(ok("topicRoute", "-t", TOPIC).out.contains("\"perm\":4"), "route after wipe");
        ok("updateBrokerConfig", "-b", broker, "-k", "brokerPermission", "-v", "6");
        Compat.await("write perm back in the route", 15_000,
            () -> MqAdmin.run(ns, "topicRoute", "-t", TOPIC).out.contains("\"perm\":6"), null);
        assertNotNull(TOPIC);
    }
}

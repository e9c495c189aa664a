package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The same mqadmin commands against our servers and against the real Java 4.7.1 servers, in one run, after the same
 * scenario on both (a 4-queue topic, {@value #MESSAGES} messages sent to fixed queues, all consumed by one push
 * consumer). Outputs are compared field by field once what must differ is masked: addresses and ports, client ids,
 * message ids, times and rates.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MqAdminParityTest {
    static final int MESSAGES = 8;
    static final String TOPIC = Compat.unique("ParityTopic");
    static final String GROUP = Compat.unique("cg_parity");
    static final String PRODUCER_GROUP = Compat.unique("pg_parity");
    /** Created, changed and deleted by the administration commands. */
    static final String ADMIN_TOPIC = Compat.unique("ParityAdminTopic");
    static final String ADMIN_GROUP = Compat.unique("cg_parity_admin");
    /** Where the probes (sendMessage, checkMsgSendRT) send, last, so the counts above stay as the scenario left them. */
    static final String PROBE_TOPIC = Compat.unique("ParityProbeTopic");

    /** Runtime-info keys whose values depend on timing or the machine, compared by presence only. */
    static final Set<String> VOLATILE_RUNTIME_KEYS = Set.of("bootTimestamp", "runtime", "commitLogDirCapacity",
        "commitLogDiskRatio", "consumeQueueDiskRatio", "getFoundTps", "getMissTps", "getTotalTps", "getTransferedTps",
        "putTps", "putMessageDistributeTime", "putMessageEntireTimeMax", "getMessageEntireTimeMax",
        // Java reads the oldest record with a maxMessageSize*2 window: -1 until the commit log holds 8 MiB (we report it)
        "earliestMessageTimeStamp",
        // both count every store read, and the consumers' pulls are timing-driven
        "msgGetTotalTodayNow",
        // queue depths and waits of the moment
        "dispatchBehindBytes", "pageCacheLockTimeMills", "sendThreadPoolQueueSize", "pullThreadPoolQueueSize",
        "queryThreadPoolQueueSize", "EndTransactionQueueSize", "sendThreadPoolQueueHeadWaitTimeMills",
        "pullThreadPoolQueueHeadWaitTimeMills", "queryThreadPoolQueueHeadWaitTimeMills");

    static final class ParityTs {
    }

    static final class ParityJava {
    }

    private static ParitySide tsSide;
    private static ParitySide javaSide;

    @BeforeAll
    static void boot() throws Exception {
        tsSide = new ParitySide("ts", ParityTs.class, "ts");
        javaSide = new ParitySide("java", ParityJava.class, "java");
        tsSide.runScenario();
        javaSide.runScenario();
        // the stats windows are sampled every 10 s: both sides must have counted the sends before comparing
        Compat.await("both sides consumed everything and sampled their stats", 30_000,
            () -> tsSide.settled() && javaSide.settled(), () -> "ts " + tsSide.received.size() + ", java " + javaSide.received.size());
    }

    @AfterAll
    static void shutdown() {
        for (ParitySide side : new ParitySide[] {tsSide, javaSide}) {
            if (side != null) {
                side.close();
            }
        }
    }

    /** Runs the command on both sides and compares the masked outputs line by line. */
    private static void sameOutput(String... args) {
        sameOutput(Function.identity(), args);
    }

    private static void sameOutput(Function<String, String> mask, String... args) {
        ParitySide.assertSameOutput(javaSide, tsSide, mask, args);
    }

    @Test
    void brokerStatusHasJavasKeysAndValues() {
        Map<String, String> expected = javaSide.run("brokerStatus", "-b", javaSide.servers.brokerAddr()).keyValues("\\s*:\\s");
        Map<String, String> actual = tsSide.run("brokerStatus", "-b", tsSide.servers.brokerAddr()).keyValues("\\s*:\\s");
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(actual.keySet()), "runtime-info keys");
        Map<String, String> expectedStable = new TreeMap<>(expected);
        Map<String, String> actualStable = new TreeMap<>(actual);
        expectedStable.keySet().removeAll(VOLATILE_RUNTIME_KEYS);
        actualStable.keySet().removeAll(VOLATILE_RUNTIME_KEYS);
        assertEquals(expectedStable, actualStable, "runtime-info values");
    }

    @Test
    void clusterAndTopicViewsMatch() {
        // TPS, page-cache wait, hours and disk space columns are measurements
        sameOutput(l -> l.replaceAll("(V4_7_1) .*", "$1"), "clusterList");
        sameOutput(l -> l, "topicRoute", "-t", TOPIC);
        sameOutput("topicStatus", "-t", TOPIC);
        sameOutput("topicClusterList", "-t", TOPIC);
        List<String> expected = javaSide.normalized(javaSide.run("topicList", "-c"));
        List<String> actual = tsSide.normalized(tsSide.run("topicList", "-c"));
        assertEquals(new TreeSet<>(expected), new TreeSet<>(actual), "topicList -c");
    }

    @Test
    void consumeProgressAndConnectionsMatch() {
        // the %RETRY% queue's offset appears once the client persists it, whenever its rebalance gets there
        Function<String, String> noRetryRows = l -> l.startsWith("%RETRY%") || l.contains(" %RETRY%") ? null : l;
        sameOutput(l -> noRetryRows.apply(l.replaceAll("^Consume TPS: .*", "Consume TPS")), "consumerProgress", "-g", GROUP);
        sameOutput("consumerConnection", "-g", GROUP);
        sameOutput("producerConnection", "-g", PRODUCER_GROUP, "-t", TOPIC);
        sameOutput(noRetryRows, "brokerConsumeStats", "-b", "<broker>");
        // rates are measurements; the counts are not
        sameOutput(l -> l.replaceAll("^(\\S+ \\S+ \\d+) [\\d.]+ [\\d.]+ ", "$1 <tps> <tps> "), "statsAll", "-t", TOPIC);
    }

    @Test
    void messagesPrintTheSame() {
        int queueId = 3;
        sameOutput("queryMsgById", "-i", "<offsetMsgId>");
        sameOutput("queryMsgByKey", "-t", TOPIC, "-k", "pk-3");
        sameOutput("queryMsgByOffset", "-t", TOPIC, "-b", "broker-a", "-i", String.valueOf(queueId), "-o", "0");
        sameOutput("queryCq", "-t", TOPIC, "-q", String.valueOf(queueId), "-i", "0", "-c", "2", "-b", "<broker>");
    }

    /** Keys of ours that Java 4.7.1 does not have (README "Configuration keys supported so far"). */
    static final Set<String> OUR_OWN_BROKER_KEYS = Set.of("bindAddress", "litePullMessageEnable", "osPageCacheBusyUnflushedBytes",
        "diskSpaceWarningLevelRatio", "diskSpaceCleanForciblyRatio",
        // the /metrics endpoint and the web console (README "Metrics", "Web console")
        "metricsPort", "metricsHost", "consolePort", "consoleHost",
        // the limits (README "Limits")
        "serverMaxConnections", "frameMaxLength", "serverMaxPendingWriteBytes", "maxHeldPullsPerConnection", "maxHeldPulls",
        "maxHeartbeatBodyBytes", "maxSubscriptionsPerGroup", "fastjsonMaxDepth", "maxTopicCount", "maxSubscriptionGroupCount",
        "maxPropertiesLength", "pullTurnBudgetMs",
        // worker threads that own the client connections (README "Connection workers")
        "connectionWorkerThreads", "connectionWorkerPullBodies");

    @Test
    void brokerConfigHasJavasKeysAndDefaults() {
        Map<String, String> expected = javaSide.run("getBrokerConfig", "-b", javaSide.servers.brokerAddr()).keyValues("=\\s+");
        Map<String, String> actual = tsSide.run("getBrokerConfig", "-b", tsSide.servers.brokerAddr()).keyValues("=\\s+");
        expected.keySet().removeIf(k -> k.startsWith("====="));
        actual.keySet().removeIf(k -> k.startsWith("====="));
        assertTrue(expected.size() > 150, "Java printed its config: " + expected.size());
        Set<String> ours = new TreeSet<>(actual.keySet());
        ours.removeAll(OUR_OWN_BROKER_KEYS);
        assertEquals(new TreeSet<>(expected.keySet()), ours, "getBrokerConfig key set");
        Set<String> machineDependent = Set.of("listenPort", "namesrvAddr", "storePathRootDir", "storePathCommitLog",
            "rocketmqHome", "brokerIP2", "haListenPort",
            // the harness sets these on the Java broker only, to keep its index file small
            "maxHashSlotNum", "maxIndexNum");
        Map<String, String> differing = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : actual.entrySet()) {
            String javaValue = expected.get(e.getKey());
            if (javaValue != null && !machineDependent.contains(e.getKey()) && !javaValue.equals(e.getValue())) {
                differing.put(e.getKey(), "ts=" + e.getValue() + " java=" + javaValue);
            }
        }
        assertTrue(differing.isEmpty(), "values differing from Java: " + differing);
    }

    @Test
    void nameServerConfigHasJavasKeys() {
        Map<String, String> expected = javaSide.run("getNamesrvConfig").keyValues("=\\s+");
        Map<String, String> actual = tsSide.run("getNamesrvConfig").keyValues("=\\s+");
        Set<String> expectedKeys = new HashSet<>(expected.keySet());
        expectedKeys.removeIf(k -> k.startsWith("====="));
        Set<String> actualKeys = new HashSet<>(actual.keySet());
        // ours, not Java's: the listen address, the /metrics endpoint and the limits (README "Limits")
        Set<String> ours = Set.of("bindAddress", "metricsPort", "metricsHost",
                "serverMaxConnections", "frameMaxLength", "serverMaxPendingWriteBytes", "fastjsonMaxDepth");
        actualKeys.removeIf(k -> k.startsWith("=====") || ours.contains(k));
        // Java refuses to start without ROCKETMQ_HOME; ours starts without it and then has no rocketmqHome
        if (!actualKeys.contains("rocketmqHome")) {
            expectedKeys.remove("rocketmqHome");
        }
        assertEquals(new TreeSet<>(expectedKeys), new TreeSet<>(actualKeys));
    }

    /** DefaultMQAdminExt calls of rocketmq-exporter and the dashboard (over the VIP channel, the client default). */
    @Test
    void adminApiCallsOfTheExporterAndDashboardMatch() throws Exception {
        DefaultMQAdminExt j = javaSide.admin;
        DefaultMQAdminExt t = tsSide.admin;
        String jb = javaSide.servers.brokerAddr();
        String tb = tsSide.servers.brokerAddr();
        assertEquals(new TreeSet<>(j.fetchTopicsByCLuster("DefaultCluster").getTopicList()),
            new TreeSet<>(t.fetchTopicsByCLuster("DefaultCluster").getTopicList()), "GET_TOPICS_BY_CLUSTER");
        assertEquals(new TreeSet<>(j.queryTopicConsumeByWho(TOPIC).getGroupList()),
            new TreeSet<>(t.queryTopicConsumeByWho(TOPIC).getGroupList()), "QUERY_TOPIC_CONSUME_BY_WHO");
        for (String[] stats : new String[][] {{"TOPIC_PUT_NUMS", TOPIC}, {"TOPIC_PUT_SIZE", TOPIC},
            {"GROUP_GET_NUMS", TOPIC + "@" + GROUP}, {"GROUP_GET_SIZE", TOPIC + "@" + GROUP},
            // not BROKER_GET_NUMS: mqadmin's own pulls (queryMsgByOffset) count there, sampled at a different moment
            {"BROKER_PUT_NUMS", "DefaultCluster"}}) {
            assertEquals(j.viewBrokerStatsData(jb, stats[0], stats[1]).getStatsMinute().getSum(),
                t.viewBrokerStatsData(tb, stats[0], stats[1]).getStatsMinute().getSum(), "minute sum of " + String.join(" ", stats));
        }
        assertEquals(failsWith(() -> j.viewBrokerStatsData(jb, "SNDBCK_PUT_NUMS", TOPIC + "@" + GROUP)),
            failsWith(() -> t.viewBrokerStatsData(tb, "SNDBCK_PUT_NUMS", TOPIC + "@" + GROUP)), "unknown stats key");
        List<String> jSpans = j.queryConsumeTimeSpan(TOPIC, GROUP).stream()
            .map(q -> q.getMessageQueue() + " delay=" + q.getDelayTime()).sorted().collect(Collectors.toList());
        List<String> tSpans = t.queryConsumeTimeSpan(TOPIC, GROUP).stream()
            .map(q -> q.getMessageQueue() + " delay=" + q.getDelayTime()).sorted().collect(Collectors.toList());
        assertEquals(jSpans, tSpans, "QUERY_CONSUME_TIME_SPAN");
        assertEquals(j.getAllTopicGroup(jb, 5000).getTopicConfigTable().get(TOPIC).toString(),
            t.getAllTopicGroup(tb, 5000).getTopicConfigTable().get(TOPIC).toString(), "GET_ALL_TOPIC_CONFIG");
        assertEquals(j.getAllSubscriptionGroup(jb, 5000).getSubscriptionGroupTable().get(GROUP).toString(),
            t.getAllSubscriptionGroup(tb, 5000).getSubscriptionGroupTable().get(GROUP).toString(), "GET_ALL_SUBSCRIPTIONGROUP_CONFIG");
        assertEquals(j.fetchConsumeStatsInBroker(jb, false, 5000).getTotalDiff(),
            t.fetchConsumeStatsInBroker(tb, false, 5000).getTotalDiff(), "GET_BROKER_CONSUME_STATS totalDiff");
    }

    interface Call {
        Object call() throws Exception;
    }

    /** The response code a call fails with, or "ok". */
    private static String failsWith(Call call) {
        try {
            call.call();
            return "ok";
        } catch (org.apache.rocketmq.client.exception.MQBrokerException e) {
            return "CODE " + e.getResponseCode();
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    @Test
    void errorsForUnknownTopicsAndGroupsMatch() {
        for (String[] args : new String[][] {{"topicStatus", "-t", "NoSuchTopic"}, {"consumerProgress", "-g", "NoSuchGroup"},
            {"consumerConnection", "-g", "NoSuchGroup"}, {"producerConnection", "-g", "NoSuchGroup", "-t", TOPIC}}) {
            MqAdmin.Result expected = javaSide.run(args);
            MqAdmin.Result actual = tsSide.run(args);
            assertEquals(expected.failed(), actual.failed(), String.join(" ", args) + "\n" + expected + "\n" + actual);
            assertEquals(errorCode(expected), errorCode(actual), String.join(" ", args) + "\n" + expected + "\n" + actual);
        }
        assertFalse(tsSide.run("clusterList").failed(), "servers still answer");
    }

    /** The response code mqadmin prints in its exception ("CODE: 17"), or "" when none. */
    private static String errorCode(MqAdmin.Result r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("CODE: (-?\\d+)").matcher(r.err);
        return m.find() ? m.group(1) : "";
    }

    @Test
    void topicAndGroupAdministrationMatches() throws Exception {
        sameOutput("updateTopic", "-b", "<broker>", "-t", ADMIN_TOPIC, "-r", "2", "-w", "2");
        Compat.awaitRoute(javaSide.servers, ADMIN_TOPIC, 15_000);
        Compat.awaitRoute(tsSide.servers, ADMIN_TOPIC, 15_000);
        sameOutput("updateTopicPerm", "-t", ADMIN_TOPIC, "-b", "<broker>", "-p", "4");
        sameOutput("topicRoute", "-t", ADMIN_TOPIC);
        sameOutput("updateSubGroup", "-b", "<broker>", "-g", ADMIN_GROUP, "-r", "3", "-q", "1", "-d", "false");
        sameOutput("deleteSubGroup", "-b", "<broker>", "-g", ADMIN_GROUP);
        sameOutput("deleteTopic", "-t", ADMIN_TOPIC, "-c", "DefaultCluster");
        sameOutput("topicList");
    }

    @Test
    void brokerHousekeepingMatches() {
        sameOutput("updateBrokerConfig", "-b", "<broker>", "-k", "flushConsumerOffsetInterval", "-v", "5000");
        sameOutput("cleanExpiredCQ", "-b", "<broker>");
        sameOutput("cleanUnusedTopic", "-b", "<broker>");
    }

    @Test
    void nameServerConfigAndKvMatch() {
        sameOutput("updateNamesrvConfig", "-k", "orderMessageEnable", "-v", "false");
        sameOutput(l -> l.matches("(orderMessageEnable|clusterTest) .*") ? l : null, "getNamesrvConfig");
        sameOutput("updateKvConfig", "-s", "ParityNs", "-k", "parityKey", "-v", "parityValue");
        sameOutput("deleteKvConfig", "-s", "ParityNs", "-k", "parityKey");
        sameOutput("updateOrderConf", "-t", TOPIC, "-v", "broker-a:4", "-m", "put");
        sameOutput("updateOrderConf", "-t", TOPIC, "-m", "get");
        sameOutput("updateOrderConf", "-t", TOPIC, "-m", "delete");
    }

    @Test
    void messageDumpsMatch() {
        sameOutput("printMsg", "-t", TOPIC, "-d", "true");
        sameOutput("printMsgByQueue", "-t", TOPIC, "-a", "broker-a", "-i", "3", "-p", "true", "-d", "true", "-f", "true");
        sameOutput("queryMsgByUniqueKey", "-i", "<msgId>", "-t", TOPIC);
        sameOutput("consumeMessage", "-t", TOPIC, "-b", "broker-a", "-i", "3", "-o", "0", "-c", "2");
    }

    @Test
    void clientViewsMatch() {
        sameOutput("consumerStatus", "-g", GROUP);
        // the consumer's own running info, relayed by the broker (GET_CONSUMER_RUNNING_INFO): its clock stamps
        // (yyyyMMddHHmmss[SSS]), the listener lambda's name and its measured RT/TPS are the client's; its %RETRY% queue
        // is in its tables once a route poll (10 ms after start, then every 30 s) came after the heartbeat created it
        sameOutput(l -> l.matches("%RETRY%\\S+ broker-a 0 .*") ? null : l.replaceAll("\\b20\\d{12,15}\\b", "<stamp>").replaceAll("\\S*\\$\\$Lambda\\S*", "<lambda>")
            .replaceAll("\\b\\d+\\.\\d\\d\\b", "<rate>"), "consumerStatus", "-g", GROUP, "-i", "<consumerClientId>");
        sameOutput("allocateMQ", "-t", TOPIC, "-i", "10.0.0.1@a,10.0.0.2@b");
    }

    /** Last: these send messages, reset offsets and take the broker's write permission away. */
    @Test
    @Order(Integer.MAX_VALUE)
    void probesResetsAndWipeMatch() throws Exception {
        sameOutput("resetOffsetByTime", "-g", GROUP, "-t", TOPIC, "-s", "now");
        sameOutput("cloneGroupOffset", "-s", GROUP, "-d", ADMIN_GROUP, "-t", TOPIC);
        sameOutput("updateTopic", "-b", "<broker>", "-t", PROBE_TOPIC, "-r", "1", "-w", "1");
        Compat.awaitRoute(javaSide.servers, PROBE_TOPIC, 15_000);
        Compat.awaitRoute(tsSide.servers, PROBE_TOPIC, 15_000);
        sameOutput("sendMessage", "-t", PROBE_TOPIC, "-p", "hello", "-b", "broker-a", "-i", "0");
        sameOutput("checkMsgSendRT", "-t", PROBE_TOPIC, "-a", "3", "-s", "16");
        sameOutput("sendMsgStatus", "-b", "broker-a", "-s", "16", "-c", "3");
        sameOutput("wipeWritePerm", "-b", "broker-a");
    }
}

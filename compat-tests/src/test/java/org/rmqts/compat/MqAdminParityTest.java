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
import org.junit.jupiter.api.Test;

/**
 * The same mqadmin commands against our servers and against the real Java 4.7.1 servers, in one run, after the same
 * scenario on both (a 4-queue topic, {@value #MESSAGES} messages sent to fixed queues, all consumed by one push
 * consumer). Outputs are compared field by field once what must differ is masked: addresses and ports, client ids,
 * message ids, times and rates.
 */
class MqAdminParityTest {
    static final int MESSAGES = 8;
    static final String TOPIC = Compat.unique("ParityTopic");
    static final String GROUP = Compat.unique("cg_parity");
    static final String PRODUCER_GROUP = Compat.unique("pg_parity");

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

    /** One set of servers with the scenario run on it. */
    static final class Side {
        final String name;
        final Servers servers;
        DefaultMQProducer producer;
        DefaultMQPushConsumer consumer;
        DefaultMQAdminExt admin;
        final List<SendResult> sent = new ArrayList<>();
        final List<MessageExt> received = Compat.syncList();

        Side(String name, Class<?> owner, String target) throws Exception {
            this.name = name;
            String previous = System.getProperty("compat.target");
            System.setProperty("compat.target", target);
            try {
                servers = Servers.start(owner);
            } finally {
                if (previous == null) {
                    System.clearProperty("compat.target");
                } else {
                    System.setProperty("compat.target", previous);
                }
            }
        }

        /** The scenario; run on both sides back to back, so their 60 s stats windows see the same events. */
        void runScenario() throws Exception {
            MqAdmin.Result created = run("updateTopic", "-b", servers.brokerAddr(), "-t", TOPIC, "-r", "4", "-w", "4");
            assertTrue(created.out.contains("success"), created.toString());
            Compat.awaitRoute(servers, TOPIC, 15_000);
            producer = Compat.producer(servers, PRODUCER_GROUP);
            for (int i = 0; i < MESSAGES; i++) {
                Message m = new Message(TOPIC, "TagP", "pk-" + i, ("parity-" + i).getBytes(StandardCharsets.UTF_8));
                SendResult r = producer.send(m, (mqs, msg, arg) -> mqs.get((Integer) arg % mqs.size()), i);
                assertEquals(SendStatus.SEND_OK, r.getSendStatus());
                sent.add(r);
            }
            consumer = new DefaultMQPushConsumer(GROUP);
            consumer.setNamesrvAddr(servers.nsAddr());
            consumer.setInstanceName(Compat.unique("consumer"));
            consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            consumer.setPersistConsumerOffsetInterval(1000);
            consumer.subscribe(TOPIC, "*");
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                received.addAll(msgs);
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            consumer.start();
            admin = new DefaultMQAdminExt();
            admin.setNamesrvAddr(servers.nsAddr());
            admin.setInstanceName(Compat.unique("admin"));
            admin.start();
        }

        MqAdmin.Result run(String... args) {
            return MqAdmin.run(servers.nsAddr(), args);
        }

        boolean settled() {
            try {
                long lag = 0;
                long consumed = 0;
                for (Map.Entry<org.apache.rocketmq.common.message.MessageQueue, org.apache.rocketmq.common.admin.OffsetWrapper> e
                    : admin.examineConsumeStats(GROUP, TOPIC).getOffsetTable().entrySet()) {
                    lag += e.getValue().getBrokerOffset() - e.getValue().getConsumerOffset();
                    consumed += e.getValue().getConsumerOffset();
                }
                String broker = servers.brokerAddr();
                return received.size() >= MESSAGES && lag == 0 && consumed == MESSAGES
                    && admin.viewBrokerStatsData(broker, "TOPIC_PUT_NUMS", TOPIC).getStatsMinute().getSum() == MESSAGES
                    && admin.viewBrokerStatsData(broker, "GROUP_GET_NUMS", TOPIC + "@" + GROUP).getStatsMinute().getSum() == MESSAGES;
            } catch (Exception e) {
                return false;
            }
        }

        /** Output lines with this side's addresses, client ids, message ids and times masked. */
        List<String> normalized(MqAdmin.Result r) {
            List<String> lines = new ArrayList<>();
            for (String line : r.lines()) {
                String l = line.replace(servers.brokerAddr(), "<broker>").replace(servers.nsAddr(), "<ns>")
                    .replaceAll("\\d+\\.\\d+\\.\\d+\\.\\d+@[\\w-]+", "<clientId>")
                    .replaceAll("127\\.0\\.0\\.1:\\d+", "<client>")
                    .replaceAll("\\b[0-9A-F]{32}([0-9A-F]{24})?\\b", "<msgId>")
                    .replaceAll("\\d{4}-\\d\\d-\\d\\d[ #]\\d\\d:\\d\\d:\\d\\d([,:]\\d{3})?", "<time>")
                    .replaceAll("/\\S*/msgbodys/\\S+", "<bodyFile>")
                    .replaceAll("\\s+", " ").trim();
                lines.add(l);
            }
            return lines;
        }

        void close() {
            for (Runnable stop : new Runnable[] {() -> consumer.shutdown(), () -> producer.shutdown(), () -> admin.shutdown(),
                servers::close}) {
                try {
                    stop.run();
                } catch (RuntimeException ignored) {
                    // best effort
                }
            }
        }
    }

    private static Side tsSide;
    private static Side javaSide;

    @BeforeAll
    static void boot() throws Exception {
        tsSide = new Side("ts", ParityTs.class, "ts");
        javaSide = new Side("java", ParityJava.class, "java");
        tsSide.runScenario();
        javaSide.runScenario();
        // the stats windows are sampled every 10 s: both sides must have counted the sends before comparing
        Compat.await("both sides consumed everything and sampled their stats", 30_000,
            () -> tsSide.settled() && javaSide.settled(), () -> "ts " + tsSide.received.size() + ", java " + javaSide.received.size());
    }

    @AfterAll
    static void shutdown() {
        for (Side side : new Side[] {tsSide, javaSide}) {
            if (side != null) {
                side.close();
            }
        }
    }

    /** Runs the command on both sides and compares the masked outputs line by line. */
    private static void sameOutput(String... args) {
        sameOutput(Function.identity(), args);
    }

    /** Lines {@code mask} maps to null are left out on both sides. */
    private static void sameOutput(Function<String, String> mask, String... args) {
        List<String> expected = javaSide.normalized(javaSide.run(substitute(javaSide, args))).stream().map(mask)
            .filter(java.util.Objects::nonNull).collect(Collectors.toList());
        List<String> actual = tsSide.normalized(tsSide.run(substitute(tsSide, args))).stream().map(mask)
            .filter(java.util.Objects::nonNull).collect(Collectors.toList());
        assertEquals(String.join("\n", expected), String.join("\n", actual), "mqadmin " + String.join(" ", args));
    }

    /** {@code <broker>} in an argument stands for the side's broker address. */
    private static String[] substitute(Side side, String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i].replace("<broker>", side.servers.brokerAddr())
                .replace("<offsetMsgId>", side.sent.get(3).getOffsetMsgId());
        }
        return out;
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

    @Test
    void brokerConfigValuesMatchJavasForEveryKeyWePrint() {
        Map<String, String> expected = javaSide.run("getBrokerConfig", "-b", javaSide.servers.brokerAddr()).keyValues("=\\s+");
        Map<String, String> actual = tsSide.run("getBrokerConfig", "-b", tsSide.servers.brokerAddr()).keyValues("=\\s+");
        Set<String> notInJava = new TreeSet<>(actual.keySet());
        notInJava.removeAll(expected.keySet());
        assertTrue(actual.keySet().containsAll(List.of("brokerName", "brokerClusterName", "brokerId", "listenPort",
            "namesrvAddr", "brokerPermission", "storePathRootDir", "flushDiskType")), actual.toString());
        Set<String> machineDependent = Set.of("listenPort", "namesrvAddr", "storePathRootDir", "storePathCommitLog",
            "rocketmqHome", "brokerIP2", "pullMessageThreadPoolNums", "haListenPort",
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
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        System.out.println("getBrokerConfig keys Java prints and we do not (" + missing.size() + "): " + missing);
        System.out.println("getBrokerConfig keys we print and Java does not: " + notInJava);
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
}

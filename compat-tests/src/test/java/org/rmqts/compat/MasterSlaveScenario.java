package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * One master/slave run with the official 4.7.1 client, shared by {@link OurMasterJavaSlaveTest} and
 * {@link JavaMasterOurSlaveTest}: a NameServer, a master of one target and a slave of the other (learning its master
 * from the NameServer), in ASYNC_MASTER or SYNC_MASTER.
 * <ol>
 *   <li>sends until one is SEND_OK (a SYNC_MASTER answers SLAVE_NOT_AVAILABLE / FLUSH_SLAVE_TIMEOUT until the slave
 *   has reported; a Java slave reports 5 s after connecting), then {@link #MESSAGES} sync sends, every one SEND_OK;</li>
 *   <li>waits until the slave's commitLogMaxOffset (GET_BROKER_RUNTIME_INFO) equals the master's, then requires the
 *   two commit-log folders to hold the same files, byte for byte;</li>
 *   <li>waits until the slave has the topic (its SlaveSynchronize, GET_ALL_TOPIC_CONFIG), stops the master, and
 *   requires a new push consumer to receive every message from the slave.</li>
 * </ol>
 */
final class MasterSlaveScenario {
    static final int MESSAGES = 200;
    private static final Pattern MAX_OFFSET = Pattern.compile("\"commitLogMaxOffset\":\"(\\d+)\"");

    private MasterSlaveScenario() {
    }

    static void run(Class<?> testClass, Servers.Target master, Servers.Target slave, String brokerRole) throws Exception {
        try (Servers servers = Servers.startPair(testClass, master, slave,
            Collections.singletonMap("brokerRole", brokerRole))) {
            String topic = Compat.unique("ha_" + brokerRole.toLowerCase());
            Set<String> sent = send(servers, topic);
            awaitSameMaxOffset(servers);
            assertSameCommitLog(servers.commitLogDir(), servers.slaveCommitLogDir());
            awaitTopicOnSlave(servers, topic);
            assertSlaveServesPulls(servers, topic);
            servers.stopBroker();
            consumeFromSlave(servers, topic, sent);
        }
    }

    private static Set<String> send(Servers servers, String topic) throws Exception {
        DefaultMQProducer producer = Compat.producer(servers, Compat.unique("pg_ha"));
        try {
            String[] last = {"nothing sent yet"};
            Compat.await("a first SEND_OK (the slave has reported)", 40_000, () -> {
                try {
                    SendResult r = producer.send(new Message(topic, "warm-up".getBytes(StandardCharsets.UTF_8)));
                    last[0] = r.toString();
                    return r.getSendStatus() == SendStatus.SEND_OK;
                } catch (Exception e) {
                    last[0] = e.toString();
                    return false;
                }
            }, () -> last[0]);
            Set<String> bodies = new HashSet<>();
            for (int i = 0; i < MESSAGES; i++) {
                String body = "ha-" + i + "-" + "x".repeat(i * 13);
                SendResult r = producer.send(new Message(topic, "TagA", "key-" + i, body.getBytes(StandardCharsets.UTF_8)));
                assertEquals(SendStatus.SEND_OK, r.getSendStatus(), "send " + i + ": " + r);
                bodies.add(body);
            }
            return bodies;
        } finally {
            producer.shutdown();
        }
    }

    static long commitLogMaxOffset(int brokerPort) throws IOException {
        try (Raw raw = Raw.connect(brokerPort)) {
            Raw.Cmd r = raw.call(28 /* GET_BROKER_RUNTIME_INFO */, null, null, 3000);
            if (r.code != 0 || r.body == null) {
                throw new IOException("GET_BROKER_RUNTIME_INFO answered " + r); // a Java slave, early on
            }
            Matcher m = MAX_OFFSET.matcher(new String(r.body, StandardCharsets.UTF_8));
            if (!m.find()) {
                throw new IOException("no commitLogMaxOffset in " + r);
            }
            return Long.parseLong(m.group(1));
        }
    }

    static void awaitSameMaxOffset(Servers servers) {
        long[] offsets = {-1, -2};
        String[] problem = {""};
        Compat.await("the slave to have the master's commitLogMaxOffset", 40_000, () -> {
            try {
                offsets[0] = commitLogMaxOffset(servers.brokerPort());
                offsets[1] = commitLogMaxOffset(servers.slavePort());
                return offsets[0] > 0 && offsets[0] == offsets[1];
            } catch (IOException e) {
                problem[0] = e.getMessage();
                return false;
            }
        }, () -> "master " + offsets[0] + ", slave " + offsets[1] + " " + problem[0]);
    }

    /**
     * Every segment holding data is on both sides with the same bytes. A Java broker also pre-creates the next
     * segment (AllocateMappedFileService): a segment on one side only must be all zeros.
     */
    static void assertSameCommitLog(Path masterDir, Path slaveDir) throws IOException {
        TreeMap<String, Path> masterFiles = files(masterDir);
        TreeMap<String, Path> slaveFiles = files(slaveDir);
        Set<String> names = new java.util.TreeSet<>(masterFiles.keySet());
        names.addAll(slaveFiles.keySet());
        int compared = 0;
        for (String name : names) {
            Path onMaster = masterFiles.get(name);
            Path onSlave = slaveFiles.get(name);
            if (onMaster == null || onSlave == null) {
                byte[] only = Files.readAllBytes(onMaster != null ? onMaster : onSlave);
                assertTrue(allZero(only), "segment " + name + " is only on the " + (onMaster != null ? "master" : "slave")
                    + " and holds data");
                continue;
            }
            assertArrayEquals(Files.readAllBytes(onMaster), Files.readAllBytes(onSlave), "commit-log file " + name);
            compared++;
        }
        assertTrue(compared > 0, "no segment on both sides: master " + masterFiles.keySet() + ", slave " + slaveFiles.keySet());
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static TreeMap<String, Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.collect(Collectors.toMap(p -> p.getFileName().toString(), p -> p, (a, b) -> a, TreeMap::new));
        }
    }

    private static void awaitTopicOnSlave(Servers servers, String topic) {
        Compat.await("the slave to copy the topic from its master (SlaveSynchronize, every 10 s)", 40_000, () -> {
            try (Raw raw = Raw.connect(servers.slavePort())) {
                Raw.Cmd r = raw.call(21 /* GET_ALL_TOPIC_CONFIG */, null, null, 3000);
                return r.code == 0 && r.body != null && new String(r.body, StandardCharsets.UTF_8).contains(topic);
            } catch (IOException e) {
                return false;
            }
        }, null);
    }

    /**
     * A slave with slaveReadEnable=false serves a pull (SUCCESS, suggestWhichBrokerId 0): Java 4.7.1 sets
     * PULL_RETRY_IMMEDIATELY for it, but the status mapping right after overwrites the code.
     */
    private static void assertSlaveServesPulls(Servers servers, String topic) throws IOException {
        try (Raw raw = Raw.connect(servers.slavePort())) {
            java.util.Map<String, String> header = new java.util.HashMap<>();
            header.put("consumerGroup", Compat.unique("cg_raw"));
            header.put("topic", topic);
            header.put("queueId", "0");
            header.put("queueOffset", "0");
            header.put("maxMsgNums", "32");
            header.put("sysFlag", "4"); // SUBSCRIPTION, no COMMIT_OFFSET, no SUSPEND
            header.put("commitOffset", "0");
            header.put("suspendTimeoutMillis", "0");
            header.put("subscription", "*");
            header.put("subVersion", "0");
            header.put("expressionType", "TAG");
            Raw.Cmd pull = raw.call(11 /* PULL_MESSAGE */, header, null, 5_000);
            assertEquals(0, pull.code, "pull from the slave (queue 0 holds messages): " + pull);
            assertEquals("0", pull.ext.get("suggestWhichBrokerId"), "suggestWhichBrokerId: " + pull);
        }
    }

    private static void consumeFromSlave(Servers servers, String topic, Set<String> sent) throws Exception {
        List<MessageExt> received = Compat.syncList();
        DefaultMQPushConsumer consumer = Compat.pushConsumer(servers, Compat.unique("cg_ha"), topic, "*",
            ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, received);
        try {
            Compat.await("every message from the slave with the master stopped", 90_000, () -> {
                synchronized (received) {
                    return received.stream().map(Compat::body).collect(Collectors.toSet()).containsAll(sent);
                }
            }, () -> received.size() + " received");
            synchronized (received) {
                List<String> bodies = new ArrayList<>();
                received.forEach(m -> bodies.add(Compat.body(m)));
                assertTrue(bodies.containsAll(sent));
                assertTrue(received.stream().allMatch(m -> m.getStoreHost().toString().contains("127.0.0.1")));
            }
        } finally {
            consumer.shutdown();
        }
    }
}

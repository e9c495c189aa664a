package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageId;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A SYNC_MASTER/SLAVE pair of ours under load from the official 4.7.1 producer (sync sends from several threads): the
 * master is SIGKILLed at random moments and restarted on its store each time. After each kill, every send answered
 * SEND_OK so far must be readable from the slave (VIEW_MESSAGE_BY_ID on the slave at the commit-log offset of its
 * offsetMsgId: same body, queue and queue offset). After the last restart, replication resumes: the commit logs end
 * byte-identical. {@code npm run ha-test -- N} is the long form ({@code -Dha.kills=N}); results go to
 * {@code target/ha-test/summary.txt}.
 */
class HaKillTest {
    private static final int KILLS = Integer.getInteger("ha.kills", 2);
    private static final long MAX_MS = Long.getLong("ha.maxSeconds", 45) * 1000;
    private static final int THREADS = 4;
    private static final int QUEUES = 4;
    private static final Random RANDOM = new Random();

    private static final class Ack {
        final String body;
        final SendResult result;

        Ack(String body, SendResult result) {
            this.body = body;
            this.result = result;
        }
    }

    @Test
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void acknowledgedSendsSurviveMasterKills() throws Exception {
        Map<String, String> conf = Map.of("brokerRole", "SYNC_MASTER", "syncFlushTimeout", "3000",
            "haSendHeartbeatInterval", "1000");
        List<String> report = new ArrayList<>();
        try (Servers servers = Servers.startPair(HaKillTest.class, Servers.Target.TS, Servers.Target.TS, conf)) {
            DefaultMQAdminExt admin = Consumption.admin(servers);
            String topic = Compat.unique("ha_kill");
            admin.createAndUpdateTopicConfig(servers.brokerAddr(), new TopicConfig(topic, QUEUES, QUEUES, 6));
            admin.shutdown();
            Compat.awaitRoute(servers, topic, 30_000);
            DefaultMQProducer producer = Compat.producer(servers, Compat.unique("pg_hakill"));
            producer.setSendMsgTimeout(3_000);
            List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> senders = startSenders(producer, topic, acks, running);
            long deadline = System.currentTimeMillis() + MAX_MS;
            int kills = 0;
            try {
                awaitAcks(acks, 1, 40_000, "a first SEND_OK (the slave has reported)");
                while (kills < KILLS && System.currentTimeMillis() < deadline) {
                    int before = acks.size();
                    awaitAcks(acks, before + 20, 40_000, "sends to be acknowledged again before kill " + (kills + 1));
                    Servers.sleep(200 + RANDOM.nextInt(2000));
                    servers.killBroker();
                    kills++;
                    List<Ack> snapshot;
                    synchronized (acks) {
                        snapshot = new ArrayList<>(acks);
                    }
                    int present = countOnSlave(servers.slavePort(), snapshot, new ArrayList<>());
                    String line = String.format("kill %d: acknowledged %d, present on the slave %d, lost %d", kills,
                        snapshot.size(), present, snapshot.size() - present);
                    System.out.println("HA " + line);
                    report.add(line);
                    assertEquals(snapshot.size(), present, line);
                    servers.startBroker();
                }
                awaitAcks(acks, acks.size() + 20, 40_000, "sends to be acknowledged after the last restart");
            } finally {
                running.set(false);
                for (Thread t : senders) {
                    t.join(15_000);
                }
                producer.shutdown();
            }
            MasterSlaveScenario.awaitSameMaxOffset(servers);
            MasterSlaveScenario.assertSameCommitLog(servers.commitLogDir(), servers.slaveCommitLogDir());
            List<String> missing = new ArrayList<>();
            int present = countOnSlave(servers.slavePort(), acks, missing);
            String line = String.format("end (%d kills): acknowledged %d, present on the slave %d, lost %d; commit logs "
                + "byte-identical", kills, acks.size(), present, acks.size() - present);
            System.out.println("HA " + line);
            report.add(line);
            assertEquals(acks.size(), present, line + "; missing " + missing);
            assertTrue(kills >= Math.min(KILLS, 1), "no kill within the time bound");
        } finally {
            writeReport(report);
        }
    }

    /**
     * The slave is SIGKILLed under load and restarted: an ASYNC_MASTER answers every send SEND_OK without waiting
     * (none takes a second); a SYNC_MASTER answers FLUSH_SLAVE_TIMEOUT / SLAVE_NOT_AVAILABLE while the slave is away and
     * SEND_OK again by itself once it is back; the commit logs end byte-identical.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ASYNC_MASTER", "SYNC_MASTER"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void slaveKilledUnderLoad(String role) throws Exception {
        Map<String, String> conf = Map.of("brokerRole", role, "syncFlushTimeout", "1000");
        boolean sync = role.equals("SYNC_MASTER");
        try (Servers servers = Servers.startPair(HaKillTest.class, Servers.Target.TS, Servers.Target.TS, conf)) {
            DefaultMQProducer producer = Compat.producer(servers, Compat.unique("pg_haslave"));
            producer.setSendMsgTimeout(3_000);
            String topic = Compat.unique("ha_slave_kill");
            java.util.concurrent.ConcurrentHashMap<String, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
            long[] slowestMs = {0};
            AtomicBoolean running = new AtomicBoolean(true);
            List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
            Thread sender = new Thread(() -> {
                for (int i = 0; i < 1_000_000 && running.get(); i++) {
                    String body = "s-" + i;
                    long startedMs = System.currentTimeMillis();
                    try {
                        SendResult r = producer.send(new Message(topic, body.getBytes(StandardCharsets.UTF_8)));
                        statuses.merge(r.getSendStatus().name(), 1, Integer::sum);
                        if (r.getSendStatus() == SendStatus.SEND_OK) {
                            acks.add(new Ack(body, r));
                        }
                    } catch (Exception e) {
                        statuses.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                        Servers.sleep(100);
                    }
                    synchronized (slowestMs) {
                        if (running.get() && acks.size() > 0) {
                            slowestMs[0] = Math.max(slowestMs[0], System.currentTimeMillis() - startedMs);
                        }
                    }
                    Servers.sleep(5);
                }
            }, "ha-slave-kill-sender");
            sender.setDaemon(true);
            sender.start();
            try {
                awaitAcks(acks, 20, 40_000, "SEND_OK with the slave up");
                synchronized (slowestMs) {
                    slowestMs[0] = 0;
                }
                statuses.clear();
                servers.killSlave();
                Servers.sleep(3_000);
                Map<String, Integer> whileAway = new java.util.TreeMap<>(statuses);
                long slowestWhileAway;
                synchronized (slowestMs) {
                    slowestWhileAway = slowestMs[0];
                }
                System.out.println("HA " + role + " with the slave killed: " + whileAway + ", slowest send " + slowestWhileAway + " ms");
                if (sync) {
                    int refused = whileAway.getOrDefault("FLUSH_SLAVE_TIMEOUT", 0) + whileAway.getOrDefault("SLAVE_NOT_AVAILABLE", 0);
                    assertTrue(refused > 0, "SYNC_MASTER without its slave: " + whileAway);
                    assertTrue(whileAway.keySet().stream().allMatch(k -> k.equals("FLUSH_SLAVE_TIMEOUT")
                        || k.equals("SLAVE_NOT_AVAILABLE") || k.equals("SEND_OK")), "statuses " + whileAway);
                } else {
                    assertEquals(Collections.singleton("SEND_OK"), whileAway.keySet(), "ASYNC_MASTER without its slave");
                    assertTrue(whileAway.get("SEND_OK") > 20, "ASYNC_MASTER sends go on: " + whileAway);
                    assertTrue(slowestWhileAway < 1_000, "an ASYNC_MASTER send took " + slowestWhileAway + " ms");
                }
                servers.startSlave();
                statuses.clear();
                int before = acks.size();
                if (sync) {
                    Compat.await("SYNC_MASTER to answer SEND_OK again by itself", 30_000,
                        () -> statuses.getOrDefault("SEND_OK", 0) >= 20, statuses::toString);
                } else {
                    awaitAcks(acks, before + 20, 30_000, "sends after the slave restart");
                }
            } finally {
                running.set(false);
                sender.join(15_000);
                producer.shutdown();
            }
            MasterSlaveScenario.awaitSameMaxOffset(servers);
            MasterSlaveScenario.assertSameCommitLog(servers.commitLogDir(), servers.slaveCommitLogDir());
        }
    }

    private static List<Thread> startSenders(DefaultMQProducer producer, String topic, List<Ack> acks, AtomicBoolean running) {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 1_000_000 && running.get(); i++) {
                    String body = "ha-" + thread + "-" + i + "-" + "y".repeat(RANDOM.nextInt(300));
                    try {
                        SendResult r = producer.send(new Message(topic, "TagA", body.getBytes(StandardCharsets.UTF_8)));
                        if (r.getSendStatus() == SendStatus.SEND_OK) {
                            acks.add(new Ack(body, r));
                        }
                    } catch (Exception e) {
                        Servers.sleep(100); // the master is down: the client fails fast, do not spin
                    }
                }
            }, "ha-sender-" + t);
            th.setDaemon(true);
            th.start();
            threads.add(th);
        }
        return threads;
    }

    private static void awaitAcks(List<Ack> acks, int n, long timeoutMs, String what) {
        Compat.await(what, timeoutMs, () -> acks.size() >= n, () -> acks.size() + " acknowledged");
    }

    /** How many of {@code acks} the slave holds at their commit-log offset with the same body, queue and offset. */
    static int countOnSlave(int slavePort, List<Ack> acks, List<String> missing) throws IOException {
        int present = 0;
        try (Raw raw = Raw.connect(slavePort)) {
            for (Ack a : acks) {
                MessageId id = MessageDecoder.decodeMessageId(a.result.getOffsetMsgId());
                Raw.Cmd r = raw.call(33 /* VIEW_MESSAGE_BY_ID */, Collections.singletonMap("offset",
                    String.valueOf(id.getOffset())), null, 5_000);
                MessageExt m = r.code == 0 && r.body != null ? MessageDecoder.decode(ByteBuffer.wrap(r.body), true, false) : null;
                if (m != null && a.body.equals(Compat.body(m)) && m.getQueueId() == a.result.getMessageQueue().getQueueId()
                    && m.getQueueOffset() == a.result.getQueueOffset()) {
                    present++;
                } else if (missing.size() < 10) {
                    missing.add(a.result.getOffsetMsgId() + " " + a.body.substring(0, Math.min(20, a.body.length()))
                        + " → " + r.code + " " + r.remark);
                }
            }
        }
        return present;
    }

    private static void writeReport(List<String> lines) throws IOException {
        Path dir = Servers.buildDir().resolve("ha-test");
        Files.createDirectories(dir);
        Files.write(dir.resolve("summary.txt"), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8),
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}

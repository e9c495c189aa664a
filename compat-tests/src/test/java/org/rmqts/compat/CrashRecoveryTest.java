package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageClientExt;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Acknowledged messages survive SIGKILL. The official 4.7.1 producer sends synchronously from several threads to our
 * broker (a child process) while the broker is killed with SIGKILL at random moments, sometimes again while it is
 * still recovering, and restarted on the same store each time. Afterwards every send that was answered SEND_OK must be
 * readable exactly where its SendResult said: same queue and queue offset, same msgId (UNIQ_KEY) and offsetMsgId,
 * same body, found both through the consume queue (pull) and through the commit log (viewMessage by offsetMsgId);
 * and every consume queue must agree with the commit log (each unit's record carries that queue id and offset,
 * offsets without gaps). Once with SYNC_FLUSH, once with ASYNC_FLUSH (a process kill keeps the page cache, so even
 * ASYNC_FLUSH may lose nothing acknowledged).
 *
 * <p>CI runs the short form (5 kills per mode, about 10 s each, at most 40 s of kills). {@code npm run crash-test}
 * runs the long form: {@code -Dcrash.kills=15 -Dcrash.minKills=10 -Dcrash.maxSeconds=120}. Results are printed and appended to
 * {@code target/crash-test/summary.txt}.
 */
class CrashRecoveryTest {
    private static final int KILLS = Integer.getInteger("crash.kills", 5);
    private static final long MAX_MS = Long.getLong("crash.maxSeconds", 40) * 1000;
    /** Fewer kills than this within the time bound fail the run (a very slow machine). */
    private static final int MIN_KILLS = Integer.getInteger("crash.minKills", 2);
    private static final int THREADS = Integer.getInteger("crash.threads", 4);
    private static final int VIEW_CHECKS = Integer.getInteger("crash.viewChecks", 1500);
    private static final int QUEUES = 4;

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void syncFlushLosesNothingAcknowledged() throws Exception {
        run("SYNC_FLUSH");
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void asyncFlushLosesNothingAcknowledgedOnProcessKill() throws Exception {
        run("ASYNC_FLUSH");
    }

    private static final class Ack {
        final String body;
        final SendResult result;

        Ack(String body, SendResult result) {
            this.body = body;
            this.result = result;
        }
    }

    private void run(String flushDiskType) throws Exception {
        String name = "CrashRecoveryTest-" + flushDiskType;
        Random random = new Random();
        try (StoreProcesses p = StoreProcesses.start(name)) {
            Map<String, String> extra = new HashMap<>();
            extra.put("flushDiskType", flushDiskType);
            extra.put("mappedFileSizeCommitLog", String.valueOf(1024 * 1024)); // many segment rolls
            extra.put("mappedFileSizeConsumeQueue", String.valueOf(300 * 20)); // many queue files
            Map<String, String> conf = p.brokerConf(p.work().resolve("store"), extra);
            p.startBroker(StoreProcesses.Kind.TS, conf);
            String topic = Compat.unique("CrashTopic");
            createTopic(p, topic);

            List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
            Set<String> attempted = ConcurrentHashMap.newKeySet();
            Map<SendStatus, AtomicInteger> otherStatuses = new ConcurrentHashMap<>();
            AtomicInteger failures = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            DefaultMQProducer producer = new DefaultMQProducer(Compat.unique("pg_crash"));
            producer.setNamesrvAddr(p.nsAddr());
            producer.setInstanceName(Compat.unique("crash_producer"));
            producer.setSendMsgTimeout(3000);
            producer.start();
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Thread sender = new Thread(() -> {
                    for (int seq = 0; !stop.get(); seq++) {
                        String body = flushDiskType + "-" + thread + "-" + seq + "-" + "x".repeat(seq % 200);
                        attempted.add(body);
                        Message msg = new Message(topic, "tag" + (seq % 3), "key-" + thread + "-" + seq,
                            body.getBytes(StandardCharsets.UTF_8));
                        try {
                            SendResult r = producer.send(msg);
                            if (r.getSendStatus() == SendStatus.SEND_OK) {
                                acks.add(new Ack(body, r));
                            } else {
                                otherStatuses.computeIfAbsent(r.getSendStatus(), s -> new AtomicInteger()).incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                            Servers.sleep(20); // the broker is down or restarting
                        }
                    }
                }, "crash-sender-" + t);
                sender.setDaemon(true);
                sender.start();
                senders.add(sender);
            }

            long deadline = System.currentTimeMillis() + MAX_MS;
            int kills = 0;
            int killsWhileStarting = 0;
            try {
                for (int cycle = 0; kills < KILLS && System.currentTimeMillis() < deadline; cycle++) {
                    Servers.sleep(300 + random.nextInt(900));
                    p.killBroker();
                    kills++;
                    if (cycle % 3 == 1) { // every third restart is killed again while it starts
                        p.launchBroker(StoreProcesses.Kind.TS, conf);
                        Servers.sleep(50 + random.nextInt(400)); // somewhere in start-up or recovery
                        p.killBroker();
                        kills++;
                        killsWhileStarting++;
                    }
                    p.startBroker(StoreProcesses.Kind.TS, conf);
                }
                Servers.sleep(500);
            } finally {
                stop.set(true);
                for (Thread sender : senders) {
                    sender.join(15_000);
                }
                producer.shutdown();
            }

            Verification v = verify(p, topic, acks, attempted);
            String summary = String.format("%s: %d SIGKILLs (%d during start-up/recovery); acknowledged %d, found %d, lost %d,"
                    + " mismatched %d; %d sends failed or timed out while the broker was down%s; queues hold %d records"
                    + " (%d duplicates from client retries, %d sent but unacknowledged); consume queues agree with the"
                    + " commit log: %s; viewMessage checks %d/%d",
                flushDiskType, kills, killsWhileStarting, acks.size(), v.found, v.lost, v.mismatched, failures.get(),
                otherStatuses.isEmpty() ? "" : ", other statuses " + otherStatuses, v.records, v.duplicates,
                v.unacknowledgedKept, v.queueProblems.isEmpty() ? "yes" : "NO " + v.queueProblems, v.viewOk, v.viewChecked);
            report(summary);
            assertTrue(kills >= Math.min(KILLS, MIN_KILLS), "too few kills within the time bound: " + summary);
            assertTrue(acks.size() > 0, summary);
            assertEquals(0, v.lost, summary + "; lost: " + v.examples);
            assertEquals(0, v.mismatched, summary + "; mismatched: " + v.examples);
            assertEquals(List.of(), v.queueProblems, summary);
            assertEquals(v.viewChecked, v.viewOk, summary + "; " + v.examples);
            assertEquals(0, v.junk, summary + ": records that were never sent");
        }
    }

    private static void createTopic(StoreProcesses p, String topic) throws Exception {
        DefaultMQAdminExt admin = new DefaultMQAdminExt(5000);
        admin.setNamesrvAddr(p.nsAddr());
        admin.setInstanceName(Compat.unique("crash_admin"));
        admin.start();
        try {
            admin.createAndUpdateTopicConfig(p.brokerAddr(), new TopicConfig(topic, QUEUES, QUEUES, 6));
        } finally {
            admin.shutdown();
        }
        StoreChecks.awaitRoute(p, topic, 30_000);
    }

    static final class Verification {
        int found;
        int lost;
        int mismatched;
        int records;
        int duplicates;
        int unacknowledgedKept;
        int junk;
        int viewChecked;
        int viewOk;
        final List<String> queueProblems = new ArrayList<>();
        final List<String> examples = new ArrayList<>();

        void example(String text) {
            if (examples.size() < 10) {
                examples.add(text);
            }
        }
    }

    private Verification verify(StoreProcesses p, String topic, List<Ack> acks, Set<String> attempted) throws Exception {
        Verification v = new Verification();
        Map<Integer, List<MessageExt>> queues = StoreChecks.readAllQueues(p, topic, QUEUES, v.queueProblems);
        Map<String, Integer> seen = new HashMap<>();
        for (List<MessageExt> queue : queues.values()) {
            for (MessageExt m : queue) {
                v.records++;
                String body = Compat.body(m);
                seen.merge(body, 1, Integer::sum);
                if (!attempted.contains(body)) {
                    v.junk++;
                }
            }
        }
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        for (Ack ack : acks) {
            acknowledged.add(ack.body);
            SendResult r = ack.result;
            List<MessageExt> queue = queues.getOrDefault(r.getMessageQueue().getQueueId(), List.of());
            long offset = r.getQueueOffset();
            MessageExt m = offset < queue.size() ? queue.get((int) offset) : null;
            if (m == null) {
                v.lost++;
                v.example("lost " + ack.body + " at " + r.getMessageQueue().getQueueId() + ":" + offset);
            } else if (!Compat.body(m).equals(ack.body) || !m.getMsgId().equals(r.getMsgId())
                || !offsetMsgId(m).equals(r.getOffsetMsgId())) {
                v.mismatched++;
                v.example("at " + r.getMessageQueue().getQueueId() + ":" + offset + " expected " + ack.body + "/"
                    + r.getMsgId() + "/" + r.getOffsetMsgId() + " found " + Compat.body(m) + "/" + m.getMsgId()
                    + "/" + offsetMsgId(m));
            } else {
                v.found++;
            }
        }
        for (Map.Entry<String, Integer> e : seen.entrySet()) {
            v.duplicates += e.getValue() - 1;
            if (!acknowledged.contains(e.getKey())) {
                v.unacknowledgedKept++;
            }
        }
        viewChecks(p, topic, acks, v);
        return v;
    }

    /** The commit-log path: viewMessage(offsetMsgId) finds the record the SendResult named. */
    private void viewChecks(StoreProcesses p, String topic, List<Ack> acks, Verification v) throws Exception {
        List<Ack> sample = new ArrayList<>(acks);
        Collections.shuffle(sample);
        DefaultMQAdminExt admin = new DefaultMQAdminExt(5000);
        admin.setNamesrvAddr(p.nsAddr());
        admin.setInstanceName(Compat.unique("crash_view"));
        admin.start();
        try {
            for (Ack ack : sample.subList(0, Math.min(VIEW_CHECKS, sample.size()))) {
                v.viewChecked++;
                MessageExt m = admin.viewMessage(ack.result.getOffsetMsgId());
                boolean ok = m != null && topic.equals(m.getTopic()) && Compat.body(m).equals(ack.body)
                    && m.getQueueId() == ack.result.getMessageQueue().getQueueId()
                    && m.getQueueOffset() == ack.result.getQueueOffset();
                if (ok) {
                    v.viewOk++;
                } else {
                    v.example("viewMessage " + ack.result.getOffsetMsgId() + " gave " + m);
                }
            }
        } finally {
            admin.shutdown();
        }
    }

    /** The offsetMsgId of a pulled record (the client decodes pulls as MessageClientExt). */
    static String offsetMsgId(MessageExt m) {
        return m instanceof MessageClientExt ? ((MessageClientExt) m).getOffsetMsgId() : m.getMsgId();
    }

    static void report(String line) throws IOException {
        System.out.println(line);
        Path dir = Servers.buildDir().resolve("crash-test");
        Files.createDirectories(dir);
        Files.write(dir.resolve("summary.txt"), (line + "\n").getBytes(StandardCharsets.UTF_8),
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}

package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rmqts.compat.Consumption.Delivery;

/**
 * Delivery at any time (beyond Java 4.7.1, so ts only): an unmodified 4.7.1 client sets the user property
 * TIMER_DELIVER_MS (or TIMER_DELAY_SEC, __STARTDELIVERTIME).
 * <ul>
 *   <li>a message due 3 s ahead arrives 3 s after the send (±0.2 s); messages arrive in delivery-time order;</li>
 *   <li>a message due 5 s ahead survives a broker restart in between and arrives on time (±0.5 s);</li>
 *   <li>100,000 pending timed messages (due 10 min to 40 days ahead) cost the broker bounded memory: its RSS
 *       (from /proc) grows by less than 150 MB, most of it the store's buffers, not per-message state.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TimerMessageTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create().tsOnly("timer messages are beyond the Java 4.7.1 broker");

    static DefaultMQPushConsumer consumer(String topic, List<Delivery> sink) throws Exception {
        return Compat.pushConsumer(fx.servers(), Compat.unique("cg_timer"), "consumer", c -> {
            c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            c.subscribe(topic, "*");
            c.setAwaitTerminationMillisWhenShutdown(5_000);
        }, (msgs, ctx) -> {
            long now = System.currentTimeMillis();
            for (MessageExt m : msgs) {
                sink.add(new Delivery(m, now));
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
    }

    static Message timed(String topic, String body, String key, long value) {
        Message m = new Message(topic, "TagT", body.getBytes(StandardCharsets.UTF_8));
        m.putUserProperty(key, String.valueOf(value));
        return m;
    }

    static Optional<Delivery> find(List<Delivery> got, String body) {
        synchronized (got) {
            return got.stream().filter(a -> Compat.body(a.message).equals(body)).findFirst();
        }
    }

    /** Creates the topic, starts a consumer and waits until it consumed a first message. */
    static DefaultMQPushConsumer ready(DefaultMQProducer producer, String topic, List<Delivery> got) throws Exception {
        producer.send(new Message(topic, "create".getBytes(StandardCharsets.UTF_8)));
        Compat.awaitRoute(fx.servers(), topic, 30_000);
        DefaultMQPushConsumer c = consumer(topic, got);
        Compat.await("the first message", 60_000, () -> find(got, "create").isPresent(), () -> "got " + got.size());
        return c;
    }

    @Test
    @Order(1)
    void timerDeliverMsThreeSecondsAheadArrivesOnTime() throws Exception {
        String topic = Compat.unique("TimerTopic");
        DefaultMQProducer producer = Compat.producer(fx.servers(), Compat.unique("pg_timer"));
        List<Delivery> got = Compat.syncList();
        DefaultMQPushConsumer c = ready(producer, topic, got);
        try {
            long sentAt = System.currentTimeMillis();
            SendResult r = producer.send(timed(topic, "in-3s", "TIMER_DELIVER_MS", sentAt + 3_000));
            assertEquals(SendStatus.SEND_OK, r.getSendStatus());
            producer.send(timed(topic, "in-2s", "TIMER_DELAY_SEC", 2));
            producer.send(timed(topic, "in-1s", "__STARTDELIVERTIME", sentAt + 1_000));
            producer.send(timed(topic, "past", "TIMER_DELIVER_MS", sentAt - 10_000));
            Compat.await("four timed messages", 10_000, () -> find(got, "in-3s").isPresent() && got.size() >= 5,
                () -> "got " + got.size());
            long elapsed = find(got, "in-3s").get().atMs - sentAt;
            System.out.printf("[TimerMessageTest] TIMER_DELIVER_MS +3000 arrived after %d ms; +2 s after %d; +1 s "
                + "after %d; past after %d%n", elapsed, find(got, "in-2s").get().atMs - sentAt,
                find(got, "in-1s").get().atMs - sentAt, find(got, "past").get().atMs - sentAt);
            assertTrue(elapsed >= 2_800 && elapsed <= 3_200, "arrived after " + elapsed + " ms");
            assertTrue(find(got, "past").get().atMs - sentAt < 1_000, "a past time is delivered at once");
            assertTrue(find(got, "in-1s").get().atMs < find(got, "in-2s").get().atMs);
            MessageExt m = find(got, "in-3s").get().message;
            assertEquals(topic, m.getTopic());
            assertEquals("TagT", m.getTags());
            assertEquals(r.getMsgId(), m.getMsgId());
            assertEquals(String.valueOf(sentAt + 3_000), m.getProperty("TIMER_OUT_MS"));
        } finally {
            c.shutdown();
            producer.shutdown();
        }
    }

    @Test
    @Order(2)
    void timedMessageSurvivesRestart() throws Exception {
        String topic = Compat.unique("TimerRestartTopic");
        DefaultMQProducer producer = Compat.producer(fx.servers(), Compat.unique("pg_timer_restart"));
        producer.send(new Message(topic, "create".getBytes(StandardCharsets.UTF_8)));
        Compat.awaitRoute(fx.servers(), topic, 30_000);
        long dueAt = System.currentTimeMillis() + 5_000;
        producer.send(timed(topic, "after-restart", "TIMER_DELIVER_MS", dueAt));
        fx.servers().stopBroker();
        fx.servers().startBroker();
        Compat.awaitRoute(fx.servers(), topic, 30_000);
        List<Delivery> got = Compat.syncList();
        DefaultMQPushConsumer c = consumer(topic, got);
        try {
            Compat.await("the timed message", 30_000, () -> find(got, "after-restart").isPresent(),
                () -> "got " + got.size());
            long stored = find(got, "after-restart").get().message.getStoreTimestamp();
            System.out.printf("[TimerMessageTest] across a restart: stored %d ms after its due time%n", stored - dueAt);
            assertTrue(Math.abs(stored - dueAt) <= 500, "stored " + (stored - dueAt) + " ms from its due time");
        } finally {
            c.shutdown();
            producer.shutdown();
        }
    }

    @Test
    @Order(3)
    void hundredThousandPendingTimersCostBoundedMemory() throws Exception {
        long pid = brokerPid();
        String topic = Compat.unique("TimerMassTopic");
        DefaultMQProducer producer = Compat.producer(fx.servers(), Compat.unique("pg_timer_mass"));
        try {
            producer.send(new Message(topic, "create".getBytes(StandardCharsets.UTF_8)));
            long before = rssKb(pid);
            long start = System.currentTimeMillis();
            long tenMinutes = 600_000L;
            long fortyDays = 40L * 86_400_000L;
            AtomicLong failures = new AtomicLong();
            java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(256);
            for (int i = 0; i < 100_000; i++) {
                long due = start + tenMinutes + (long) ((fortyDays - tenMinutes) * ((i * 0.6180339887) % 1.0));
                inFlight.acquire();
                producer.send(timed(topic, "pending-" + i, "TIMER_DELIVER_MS", due),
                    new org.apache.rocketmq.client.producer.SendCallback() {
                        @Override
                        public void onSuccess(SendResult sendResult) {
                            inFlight.release();
                        }

                        @Override
                        public void onException(Throwable e) {
                            failures.incrementAndGet();
                            inFlight.release();
                        }
                    });
            }
            inFlight.acquire(256);
            long sendMs = System.currentTimeMillis() - start;
            Servers.sleep(3_000);
            long after = rssKb(pid);
            long parked = parkedCount();
            System.out.printf("[TimerMessageTest] 100000 timed sends in %d ms (%d failed); %d parked; broker RSS "
                + "%d MB before, %d MB after (+%d MB)%n", sendMs, failures.get(), parked, before / 1024, after / 1024,
                (after - before) / 1024);
            assertEquals(0, failures.get());
            assertTrue(parked >= 100_000, "parked " + parked);
            assertTrue(after - before < 150 * 1024, "RSS grew by " + (after - before) / 1024 + " MB");
        } finally {
            producer.shutdown();
        }
    }

    /** The broker child process: the one whose command line names this class's broker.conf. */
    static long brokerPid() {
        String conf = fx.servers().workDir().resolve("broker.conf").toString();
        return ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(cmd -> cmd.contains(conf)).orElse(false))
            .mapToLong(ProcessHandle::pid).findFirst()
            .orElseThrow(() -> new AssertionError("no broker process for " + conf));
    }

    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmRSS for " + pid);
    }

    /** Messages parked in the timer wheel: the sum of the max offsets of rmq_sys_wheel_timer's 240 queues. */
    static long parkedCount() throws IOException {
        long total = 0;
        try (Raw raw = Raw.connect(fx.servers().brokerPort())) {
            for (int q = 0; q < 240; q++) {
                Map<String, String> ext = new HashMap<>();
                ext.put("topic", "rmq_sys_wheel_timer");
                ext.put("queueId", String.valueOf(q));
                Raw.Cmd r = raw.call(30, ext, null, 3_000);
                if (r.code == 0) {
                    total += Long.parseLong(r.ext.get("offset"));
                }
            }
        }
        return total;
    }
}

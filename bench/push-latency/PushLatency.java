import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.rmqts.compat.Servers;

/**
 * Long-polling latency: how soon a push consumer (official 4.7.1 client) sees a message after it was sent.
 *
 * Starts a NameServer and a broker with the compat-tests harness (-Dcompat.target=ts for ours, java for Apache
 * RocketMQ 4.7.1), then one producer sends --count messages at a steady --rate (one sync send every 1/rate s, from
 * one thread) while one push consumer in the same JVM records when each arrives. Every body carries its sequence
 * number; the send start, the send return and the arrival are System.nanoTime() stamps of this one JVM.
 *
 * Reports, over the messages received, percentiles of
 *   send→receive    arrival − send start (what an application sees end to end)
 *   return→receive  arrival − send return (the push path alone; negative when the broker wakes the consumer's
 *                   held pull before the send response reaches the producer)
 *   send RT         send return − send start
 * and prints one line "PUSH_LATENCY_RESULT {json}".
 */
public final class PushLatency {
    private static final long WARMUP = -1;

    public static void main(String[] argv) throws Exception {
        int count = intArg(argv, "--count", 10_000);
        int rate = intArg(argv, "--rate", 500);
        int size = Math.max(16, intArg(argv, "--size", 128));
        String tag = Long.toString(System.currentTimeMillis() % 100_000_000L);
        String topic = "PushLatency_" + tag;
        Servers servers = Servers.start(PushLatency.class);
        try {
            System.out.println(run(servers, topic, tag, count, rate, size));
        } finally {
            servers.close();
        }
        System.exit(0);
    }

    static String run(Servers servers, String topic, String tag, int count, int rate, int size) throws Exception {
        DefaultMQProducer producer = new DefaultMQProducer("pg_push_latency_" + tag);
        producer.setNamesrvAddr(servers.nsAddr());
        producer.setInstanceName("push-latency-p-" + tag);
        producer.setSendMsgTimeout(5000);
        producer.start();
        long[] sendStart = new long[count];
        long[] sendReturn = new long[count];
        long[] arrival = new long[count];
        AtomicInteger received = new AtomicInteger();
        AtomicLong warmups = new AtomicLong();
        AtomicLong sendFailed = new AtomicLong();

        send(producer, topic, size, WARMUP, null); // auto-creates the topic through TBW102
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer("cg_push_latency_" + tag);
        consumer.setNamesrvAddr(servers.nsAddr());
        consumer.setInstanceName("push-latency-c-" + tag);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            long now = System.nanoTime();
            for (MessageExt m : msgs) {
                long seq = ByteBuffer.wrap(m.getBody()).getLong();
                if (seq == WARMUP) {
                    warmups.incrementAndGet();
                } else if (seq >= 0 && seq < count && arrival[(int) seq] == 0) {
                    arrival[(int) seq] = now;
                    received.incrementAndGet();
                }
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        // warm up until every queue has been balanced, pulled and parked in a long poll
        long deadline = System.currentTimeMillis() + 60_000;
        while (warmups.get() < 20 && System.currentTimeMillis() < deadline) {
            send(producer, topic, size, WARMUP, null);
            Thread.sleep(100);
        }
        if (warmups.get() < 20) {
            throw new IllegalStateException("the consumer received no warm-up messages");
        }
        Thread.sleep(1000);

        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger next = new AtomicInteger();
        long periodNs = 1_000_000_000L / rate;
        ticker.scheduleAtFixedRate(() -> {
            int seq = next.getAndIncrement();
            if (seq >= count) {
                return;
            }
            sendStart[seq] = System.nanoTime();
            if (send(producer, topic, size, seq, sendFailed)) {
                sendReturn[seq] = System.nanoTime();
            }
        }, 0, periodNs, TimeUnit.NANOSECONDS);
        long sendingMs = 1000L * count / rate;
        deadline = System.currentTimeMillis() + sendingMs + 30_000;
        while (received.get() < count - sendFailed.get() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        ticker.shutdownNow();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        consumer.shutdown();
        producer.shutdown();

        long[] e2e = new long[count];
        long[] push = new long[count];
        long[] rt = new long[count];
        int n = 0;
        int r = 0;
        for (int i = 0; i < count; i++) {
            if (sendReturn[i] != 0) {
                rt[r++] = sendReturn[i] - sendStart[i];
            }
            if (arrival[i] != 0 && sendReturn[i] != 0) {
                e2e[n] = arrival[i] - sendStart[i];
                push[n] = arrival[i] - sendReturn[i];
                n++;
            }
        }
        return "PUSH_LATENCY_RESULT {\"target\":\"" + Servers.target().name().toLowerCase(Locale.ROOT) + "\",\"count\":"
            + count + ",\"rate\":" + rate + ",\"size\":" + size + ",\"sendFailed\":" + sendFailed.get()
            + ",\"received\":" + received.get() + ",\"sendToReceive\":" + percentiles(e2e, n)
            + ",\"returnToReceive\":" + percentiles(push, n) + ",\"sendRt\":" + percentiles(rt, r) + "}";
    }

    static boolean send(DefaultMQProducer producer, String topic, int size, long seq, AtomicLong failed) {
        byte[] body = new byte[size];
        ByteBuffer.wrap(body).putLong(seq);
        try {
            SendResult result = producer.send(new Message(topic, "latency", body));
            return result.getSendStatus() == SendStatus.SEND_OK;
        } catch (Exception e) {
            if (failed != null) {
                failed.incrementAndGet();
            }
            return false;
        }
    }

    /** {"p50":…,"p90":…,"p99":…,"p999":…,"max":…} in milliseconds (nearest rank). */
    static String percentiles(long[] valuesNs, int n) {
        long[] v = Arrays.copyOf(valuesNs, n);
        Arrays.sort(v);
        StringBuilder s = new StringBuilder("{");
        String[] names = {"p50", "p90", "p99", "p999"};
        double[] ranks = {0.50, 0.90, 0.99, 0.999};
        for (int i = 0; i < names.length; i++) {
            s.append('"').append(names[i]).append("\":").append(ms(n == 0 ? 0 : v[Math.max(0, (int) Math.ceil(ranks[i] * n) - 1)])).append(',');
        }
        return s.append("\"max\":").append(ms(n == 0 ? 0 : v[n - 1])).append('}').toString();
    }

    static String ms(long ns) {
        return String.format(Locale.ROOT, "%.2f", ns / 1e6);
    }

    static int intArg(String[] argv, String name, int fallback) {
        for (int i = 0; i + 1 < argv.length; i++) {
            if (argv[i].equals(name)) {
                return Integer.parseInt(argv[i + 1]);
            }
        }
        return fallback;
    }
}

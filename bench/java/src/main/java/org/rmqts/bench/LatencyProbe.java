package org.rmqts.bench;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * End-to-end latency probe. Sends --rate messages per second (open loop: a ticker hands each send to
 * a small pool) of --size bytes to its own --topic for --seconds, each body starting with the send
 * time (System.nanoTime) and a sequence number; a push consumer in the same JVM records receive − send.
 * Sync-send RT is recorded too. Prints {@code PROBE_RESULT {json}} and writes it to --out.
 *
 * <p>Before measuring it creates the topic (auto-create through TBW102, as the benchmark does), waits
 * for the NameServer to route it, starts the consumer and waits until a ping comes back.
 */
public final class LatencyProbe {
    private static final long PING = -1;

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        String ns = a.str("namesrv", "127.0.0.1:9876");
        String topic = a.str("topic", "BenchLatencyProbe");
        int rate = (int) a.num("rate", 200);
        int seconds = (int) a.num("seconds", 20);
        int size = (int) Math.max(16, a.num("size", 128));
        String out = a.str("out", null);
        String tag = Long.toString(System.currentTimeMillis());

        DefaultMQProducer producer = new DefaultMQProducer("bench_latency_probe");
        producer.setNamesrvAddr(ns);
        producer.setInstanceName("probe-p-" + tag);
        producer.setSendMsgTimeout(3000);
        producer.setRetryTimesWhenSendFailed(0);
        producer.start();

        int max = rate * seconds + 1000;
        long[] sendRt = new long[max];
        long[] e2e = new long[max];
        AtomicInteger sendN = new AtomicInteger();
        AtomicInteger e2eN = new AtomicInteger();
        AtomicLong pings = new AtomicLong();
        AtomicLong sendFailed = new AtomicLong();
        AtomicLong seq = new AtomicLong();

        long setup0 = System.nanoTime();
        awaitTopic(producer, topic, size);
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer("bench_latency_probe_" + tag);
        consumer.setNamesrvAddr(ns);
        consumer.setInstanceName("probe-c-" + tag);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (List<MessageExt> msgs, ConsumeConcurrentlyContext ctx) -> {
            long now = System.nanoTime();
            for (MessageExt m : msgs) {
                ByteBuffer b = ByteBuffer.wrap(m.getBody());
                long sentAt = b.getLong();
                long s = b.getLong();
                if (s == PING) {
                    pings.incrementAndGet();
                } else {
                    int i = e2eN.getAndIncrement();
                    if (i < e2e.length) {
                        e2e[i] = now - sentAt;
                    }
                }
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        long deadline = System.currentTimeMillis() + 40_000;
        while (pings.get() == 0 && System.currentTimeMillis() < deadline) {
            trySend(producer, message(topic, size, PING), null);
            Args.sleep(100);
        }
        if (pings.get() == 0) {
            System.out.println("PROBE_ERROR consumer never received a ping");
            System.exit(3);
        }
        System.out.printf("PROBE_MEASURING after %.1f s setup%n", (System.nanoTime() - setup0) / 1e9);
        System.out.flush();

        ExecutorService senders = Executors.newFixedThreadPool(8);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long periodNs = 1_000_000_000L / rate;
        int total = rate * seconds;
        AtomicInteger scheduled = new AtomicInteger();
        ticker.scheduleAtFixedRate(() -> {
            if (scheduled.getAndIncrement() >= total) {
                return;
            }
            senders.execute(() -> {
                Message m = message(topic, size, seq.getAndIncrement());
                long t0 = System.nanoTime();
                ByteBuffer.wrap(m.getBody()).putLong(0, t0);
                if (trySend(producer, m, sendFailed)) {
                    int i = sendN.getAndIncrement();
                    if (i < sendRt.length) {
                        sendRt[i] = System.nanoTime() - t0;
                    }
                }
            });
        }, 0, periodNs, TimeUnit.NANOSECONDS);
        while (scheduled.get() < total) {
            Args.sleep(50);
        }
        ticker.shutdownNow();
        senders.shutdown();
        senders.awaitTermination(10, TimeUnit.SECONDS);
        long drain = System.currentTimeMillis() + 10_000;
        while (e2eN.get() < sendN.get() && System.currentTimeMillis() < drain) {
            Args.sleep(20);
        }
        int sent = sendN.get();
        int received = Math.min(e2eN.get(), e2e.length);
        String json = "{\"rate\":" + rate + ",\"seconds\":" + seconds + ",\"size\":" + size
            + ",\"sent\":" + sent + ",\"sendFailed\":" + sendFailed.get() + ",\"received\":" + received
            + ",\"sendRt\":" + Percentiles.json(sendRt, Math.min(sent, sendRt.length))
            + ",\"e2e\":" + Percentiles.json(e2e, received) + "}";
        System.out.println("PROBE_RESULT " + json);
        System.out.flush();
        if (out != null) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(out), json + "\n");
        }
        consumer.shutdown();
        producer.shutdown();
        System.exit(0);
    }

    /** Sends until the topic exists (auto-created by the broker) and the NameServer routes it. */
    private static void awaitTopic(DefaultMQProducer producer, String topic, int size) {
        long deadline = System.currentTimeMillis() + 40_000;
        boolean sent = false;
        while (System.currentTimeMillis() < deadline) {
            sent = sent || trySend(producer, message(topic, size, PING), null);
            if (sent) {
                try {
                    if (!producer.fetchPublishMessageQueues(topic).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    // not routed yet
                }
            }
            Args.sleep(200);
        }
        System.out.println("PROBE_ERROR topic " + topic + " never became routable");
        System.exit(3);
    }

    private static Message message(String topic, int size, long seqNo) {
        byte[] body = Args.body(size);
        ByteBuffer.wrap(body).putLong(0, System.nanoTime()).putLong(8, seqNo);
        return new Message(topic, "probe", body);
    }

    private static boolean trySend(DefaultMQProducer producer, Message m, AtomicLong failed) {
        try {
            producer.send(m);
            return true;
        } catch (Exception e) {
            if (failed != null) {
                failed.incrementAndGet();
            }
            return false;
        }
    }
}

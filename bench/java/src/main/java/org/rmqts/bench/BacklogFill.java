package org.rmqts.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;

/**
 * Writes a fixed backlog: --count messages of --size bytes (the benchmark Producer's body) to --topic
 * with --threads sync senders, --batch messages per request (send(Collection): one SEND_BATCH_MESSAGE,
 * stored as separate messages), stopping early at --seconds. Prints progress every 10 s and
 * {@code FILL_DONE {"sent":…,"failed":…,"seconds":…}}.
 */
public final class BacklogFill {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        String topic = a.str("topic", "BenchmarkTest");
        long count = a.num("count", 1_000_000);
        int threads = (int) a.num("threads", 64);
        int size = (int) a.num("size", 1024);
        int batch = (int) Math.max(1, a.num("batch", 1));
        long deadline = System.currentTimeMillis() + a.num("seconds", 180) * 1000;
        DefaultMQProducer producer = new DefaultMQProducer("bench_backlog_fill");
        producer.setNamesrvAddr(a.str("namesrv", "127.0.0.1:9876"));
        producer.setInstanceName("fill-" + System.currentTimeMillis());
        producer.setCompressMsgBodyOverHowmuch(Integer.MAX_VALUE);
        producer.start();
        AtomicLong claimed = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        byte[] body = Args.body(size);
        long t0 = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (System.currentTimeMillis() < deadline) {
                    long first = claimed.getAndAdd(batch);
                    int n = (int) Math.min(batch, count - first);
                    if (n <= 0) {
                        break;
                    }
                    List<Message> msgs = new ArrayList<>(n);
                    for (int k = 0; k < n; k++) {
                        msgs.add(new Message(topic, body));
                    }
                    try {
                        if (n == 1) {
                            producer.send(msgs.get(0));
                        } else {
                            producer.send(msgs);
                        }
                        sent.addAndGet(n);
                    } catch (Exception e) {
                        failed.addAndGet(n);
                        Args.sleep(100);
                    }
                }
            }, "fill-" + i);
            t.start();
            workers.add(t);
        }
        long nextReport = System.currentTimeMillis() + 10_000;
        for (Thread t : workers) {
            while (t.isAlive()) {
                t.join(500);
                if (System.currentTimeMillis() >= nextReport) {
                    System.out.printf("FILL_PROGRESS sent=%d failed=%d%n", sent.get(), failed.get());
                    System.out.flush();
                    nextReport += 10_000;
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "FILL_DONE {\"sent\":%d,\"failed\":%d,\"seconds\":%.1f}%n",
            sent.get(), failed.get(), secs);
        System.out.flush();
        producer.shutdown();
        System.exit(0);
    }
}

package org.rmqts.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

/**
 * Start-up probe: starts a producer, prints READY, waits for a line on stdin (the harness writes it
 * when it spawns the broker), then retries a sync send every 10 ms until one succeeds and prints
 * {@code FIRST_SEND_OK <ms since go> <attempts>}. Exits 2 after --timeoutMs without success.
 */
public final class StartupProbe {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        String topic = a.str("topic", "BenchmarkTest");
        long timeoutMs = a.num("timeoutMs", 60_000);
        DefaultMQProducer producer = new DefaultMQProducer("bench_startup_probe");
        producer.setNamesrvAddr(a.str("namesrv", "127.0.0.1:9876"));
        producer.setInstanceName("startup-" + ProcessHandle.current().pid());
        producer.setSendMsgTimeout(1000);
        producer.setRetryTimesWhenSendFailed(0);
        producer.start();
        Message msg = new Message(topic, "startup", Args.body(128));
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        in.readLine();
        long t0 = System.nanoTime();
        int attempts = 0;
        String lastError = "none";
        int code = 2;
        while ((System.nanoTime() - t0) / 1_000_000 < timeoutMs) {
            attempts++;
            try {
                SendResult r = producer.send(msg);
                if (r.getSendStatus() == SendStatus.SEND_OK) {
                    double ms = (System.nanoTime() - t0) / 1e6;
                    System.out.printf("FIRST_SEND_OK %.1f %d%n", ms, attempts);
                    code = 0;
                    break;
                }
                lastError = r.getSendStatus().toString();
            } catch (Exception e) {
                lastError = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
            }
            Args.sleep(10);
        }
        if (code != 0) {
            System.out.println("FIRST_SEND_TIMEOUT attempts=" + attempts + " last=" + lastError);
        }
        System.out.flush();
        producer.shutdown();
        System.exit(code);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

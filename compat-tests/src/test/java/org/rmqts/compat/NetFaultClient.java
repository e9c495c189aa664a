package org.rmqts.compat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * The client side of {@link NetFaultsTest}, run in the client's network namespace: the official 4.7.1 producer (sync
 * sends with the client's own retries, from {@code THREADS} threads) and a push consumer on the same topic. Prints one
 * line per event for the test: {@code READY}, {@code SEND key} before a send, {@code ACK key} on SEND_OK,
 * {@code FAIL key reason} when the client gave up, {@code RECV keys body} per delivery, {@code STOPPED} once the
 * producer stopped (after {@code STOP} on stdin or {@code maxMessages}). Arguments: nsAddr brokerAddr topic group
 * maxMessages.
 */
public final class NetFaultClient {
    private static final int THREADS = 2;
    private static final int QUEUES = 4;
    private static final long PAUSE_MS = 20;

    /** What the body of the message with this key is: the test checks every delivery against it. */
    static String body(String key) {
        StringBuilder b = new StringBuilder(key).append('|');
        for (int i = 0; i < 4 + Math.abs(key.hashCode() % 40); i++) {
            b.append((char) ('a' + (key.hashCode() + i * 7 & 0x7fffffff) % 26));
        }
        return b.toString();
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        String nsAddr = args[0];
        String brokerAddr = args[1];
        String topic = args[2];
        String group = args[3];
        int maxMessages = Integer.parseInt(args[4]);

        DefaultMQAdminExt admin = new DefaultMQAdminExt(5000);
        admin.setNamesrvAddr(nsAddr);
        admin.setInstanceName("netfault-admin");
        admin.start();
        TopicConfig tc = new TopicConfig(topic, QUEUES, QUEUES, 6);
        admin.createAndUpdateTopicConfig(brokerAddr, tc);
        admin.shutdown();

        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
        consumer.setNamesrvAddr(nsAddr);
        consumer.setInstanceName("netfault-consumer");
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                say("RECV " + m.getKeys() + " " + new String(m.getBody(), StandardCharsets.UTF_8));
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();

        DefaultMQProducer producer = new DefaultMQProducer(group + "-producer");
        producer.setNamesrvAddr(nsAddr);
        producer.setInstanceName("netfault-producer");
        producer.setSendMsgTimeout(3000);
        producer.setRetryTimesWhenSendFailed(3);
        producer.setRetryAnotherBrokerWhenNotStoreOK(true);
        producer.start();
        say("READY");

        AtomicBoolean stop = new AtomicBoolean();
        Thread stdin = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.trim().equals("STOP")) {
                        break;
                    }
                }
            } catch (Exception ignored) {
                // stdin closed: stop as well
            }
            stop.set(true);
        }, "stdin");
        stdin.setDaemon(true);
        stdin.start();

        AtomicInteger next = new AtomicInteger();
        Thread[] senders = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            senders[t] = new Thread(() -> {
                int n;
                while (!stop.get() && (n = next.getAndIncrement()) < maxMessages) {
                    String key = "nf-" + n;
                    Message m = new Message(topic, "TagA", key, body(key).getBytes(StandardCharsets.UTF_8));
                    say("SEND " + key);
                    try {
                        SendResult r = producer.send(m);
                        say(r.getSendStatus() == SendStatus.SEND_OK ? "ACK " + key : "FAIL " + key + " " + r.getSendStatus());
                    } catch (Exception e) {
                        say("FAIL " + key + " " + e.getClass().getSimpleName());
                    }
                    try {
                        TimeUnit.MILLISECONDS.sleep(PAUSE_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "sender-" + t);
            senders[t].start();
        }
        for (Thread t : senders) {
            t.join();
        }
        producer.shutdown();
        say("STOPPED");
        TimeUnit.MINUTES.sleep(30); // the consumer goes on until the test kills this process
        System.exit(0);
    }
}

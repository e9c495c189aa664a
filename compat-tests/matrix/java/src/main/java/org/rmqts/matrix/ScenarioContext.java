package org.rmqts.matrix;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.rocketmq.client.ClientConfig;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;

/** Names (topic PREFIX_s, groups PREFIX_s_pg / PREFIX_s_cg) and the clients of one scenario run. */
final class ScenarioContext implements AutoCloseable {
    private static final AtomicInteger INSTANCE_COUNTER = new AtomicInteger();
    private static final long PID = ProcessHandle.current().pid();
    /** The push consumers' heartbeat interval (see pushConsumer). */
    private static final int HEARTBEAT_INTERVAL_MS = 1000;
    /** How long startConsumer waits for the consumer's first queue (see awaitQueues). */
    static final long QUEUES_WAIT_MS = 25_000;

    final String id;
    final String namesrv;
    final String broker;
    final String prefix;
    private final long startNanos = System.nanoTime();
    private final Deque<Runnable> shutdowns = new ArrayDeque<>();

    ScenarioContext(String id, DriverArgs args) {
        this.id = id;
        this.namesrv = args.namesrv;
        this.broker = args.broker;
        this.prefix = args.prefix;
    }

    /** What is left of the scenario's 60 s after keeping reserveMs for what follows (at least 0). */
    long msLeft(long reserveMs) {
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000L;
        return Math.max(0, MatrixDriver.SCENARIO_TIMEOUT_MS - elapsedMs - reserveMs);
    }

    String topic() {
        return prefix + "_" + id;
    }

    String producerGroup() {
        return topic() + "_pg";
    }

    String consumerGroup() {
        return topic() + "_cg";
    }

    /** The body of the i-th message: PREFIX_s-i. */
    String body(int i) {
        return topic() + "-" + i;
    }

    Message message(int i) {
        return new Message(topic(), bytes(body(i)));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] body) {
        return body == null ? "<null>" : new String(body, StandardCharsets.UTF_8);
    }

    /** Every client object gets its own instanceName, so each is a separate client of the broker. */
    void configure(ClientConfig client, String role) {
        client.setNamesrvAddr(namesrv);
        client.setInstanceName(topic() + "_" + role + "_" + INSTANCE_COUNTER.incrementAndGet() + "_" + PID);
    }

    /** A started producer of PREFIX_s_pg. */
    DefaultMQProducer startProducer() throws MQClientException {
        DefaultMQProducer producer = new DefaultMQProducer(producerGroup());
        configure(producer, "producer");
        producer.start();
        onClose(producer::shutdown);
        return producer;
    }

    /** A push consumer of PREFIX_s_cg from the first offset, not yet subscribed nor started. */
    DefaultMQPushConsumer pushConsumer(String role) {
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(consumerGroup());
        configure(consumer, role);
        // A 5.x client gives its subscription a new version at each rebalance and sends it in a heartbeat only when
        // it gets its heartbeat lock; when the periodic heartbeat holds the lock then, the broker keeps the old
        // version until the next heartbeat and answers every pull SUBSCRIPTION_NOT_LATEST meanwhile (Java 4.7.1
        // servers do the same). With the default 30 s interval that made cells 30 s late; 1 s bounds it.
        consumer.setHeartbeatBrokerInterval(HEARTBEAT_INTERVAL_MS);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        onClose(consumer::shutdown);
        return consumer;
    }

    /** A started push consumer of the whole topic that puts every message into the inbox. */
    DefaultMQPushConsumer startConsumer(String role, Inbox inbox) throws MQClientException {
        DefaultMQPushConsumer consumer = pushConsumer(role);
        consumer.subscribe(topic(), "*");
        consumer.registerMessageListener(inbox.concurrentListener());
        start(consumer, inbox);
        return consumer;
    }

    /** Starts a subscribed push consumer and waits (see awaitQueues) until it has a queue of the topic. */
    void start(DefaultMQPushConsumer consumer, Inbox inbox) throws MQClientException {
        start(consumer, inbox, topic());
    }

    /** As start, for a consumer of another topic than the scenario's own. */
    void start(DefaultMQPushConsumer consumer, Inbox inbox, String topic) throws MQClientException {
        long startNanos = System.nanoTime();
        consumer.start();
        inbox.consumerStartMs = (System.nanoTime() - startNanos) / 1_000_000L;
        inbox.queuesAssignedMs = awaitQueues(consumer, topic, startNanos);
    }

    /**
     * Waits (at most QUEUES_WAIT_MS) until the consumer's rebalance has given it a queue of the topic, so
     * that a scenario's consume deadline counts from a consumer that can pull. A client may take up to
     * its 20 s rebalance interval for that (a 5.x client rebalances at start only when its start-up
     * heartbeat got the lock); a broker that never lets it in still fails the scenario. Returns the ms
     * from the start, or -1 when no queue came.
     */
    private long awaitQueues(DefaultMQPushConsumer consumer, String topic, long startNanos) {
        long deadline = startNanos + QUEUES_WAIT_MS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            boolean assigned = consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable()
                .keySet().stream().anyMatch(queue -> queue.getTopic().equals(topic));
            if (assigned) {
                return (System.nanoTime() - startNanos) / 1_000_000L;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }

    /** Runs at close, most recent first (clients are shut down in reverse order of creation). */
    void onClose(Runnable shutdown) {
        synchronized (shutdowns) {
            shutdowns.push(shutdown);
        }
    }

    @Override
    public void close() {
        while (true) {
            Runnable next;
            synchronized (shutdowns) {
                next = shutdowns.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                System.err.println("shutdown in " + id + ": " + Outcome.describe(e));
            }
        }
    }
}

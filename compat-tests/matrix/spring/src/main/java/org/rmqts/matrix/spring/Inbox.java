package org.rmqts.matrix.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.spring.core.RocketMQListener;
import org.apache.rocketmq.spring.core.RocketMQPushConsumerLifecycleListener;

/**
 * A {@code @RocketMQMessageListener} bean that records every delivery. Through the starter's
 * {@link RocketMQPushConsumerLifecycleListener} hook it starts from the first offset (README "Consumers") and, where
 * two listeners of one group live in this JVM, gives its consumer its own instance name.
 */
public abstract class Inbox implements RocketMQListener<MessageExt>, RocketMQPushConsumerLifecycleListener {
    /** How long a scenario waits for what it sent to arrive, unless it says otherwise. */
    public static final long RECEIVE_LIMIT_MS = 30_000;
    /** How long a scenario lingers after the last expected message to see nothing unexpected arrives. */
    public static final long LINGER_MS = 2000;

    private final List<Delivery> deliveries = new ArrayList<>();
    private final String instanceName;
    private volatile DefaultMQPushConsumer consumer;

    /** A listener whose consumer has the starter's instance name. */
    protected Inbox() {
        this(null);
    }

    /** A listener whose consumer has an instance name of its own (two listeners of one group in this JVM). */
    protected Inbox(String instanceName) {
        this.instanceName = instanceName;
    }

    @Override
    public void prepareStart(DefaultMQPushConsumer pushConsumer) {
        pushConsumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        if (instanceName != null) {
            pushConsumer.setInstanceName(instanceName);
        }
        this.consumer = pushConsumer;
    }

    @Override
    public void onMessage(MessageExt message) {
        record(message);
    }

    protected final synchronized void record(MessageExt message) {
        deliveries.add(Delivery.of(message));
        notifyAll();
    }

    public synchronized List<Delivery> snapshot() {
        return new ArrayList<>(deliveries);
    }

    /** Waits until {@code count} deliveries match, at most {@code timeoutMs}; returns all deliveries so far. */
    public synchronized List<Delivery> awaitMatching(Predicate<Delivery> filter, int count, long timeoutMs)
        throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (deliveries.stream().filter(filter).count() < count) {
            long leftMs = deadline - System.currentTimeMillis();
            if (leftMs <= 0) {
                break;
            }
            wait(leftMs);
        }
        return snapshot();
    }

    public List<Delivery> await(int count, long timeoutMs) throws InterruptedException {
        return awaitMatching(d -> true, count, timeoutMs);
    }

    /** Waits {@code count} deliveries, then lingers 2 s for anything unexpected; returns all deliveries. */
    public List<Delivery> awaitAndLinger(int count, long timeoutMs) throws InterruptedException {
        await(count, timeoutMs);
        Thread.sleep(LINGER_MS);
        return snapshot();
    }

    /**
     * Queues of {@code topic} the consumer's rebalance holds right now (0 before it started); the consumer's
     * %RETRY% queue is not counted.
     */
    public int assignedQueueCount(String topic) {
        DefaultMQPushConsumer c = consumer;
        if (c == null) {
            return 0;
        }
        return (int) c.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().keySet().stream()
            .filter(q -> q.getTopic().equals(topic)).count();
    }
}

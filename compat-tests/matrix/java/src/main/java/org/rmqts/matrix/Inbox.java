package org.rmqts.matrix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.message.MessageExt;

/** The messages one consumer received, in arrival order, with their arrival time. */
final class Inbox {
    /** How long a consumer keeps listening after the last expected message (README: linger 2 s). */
    static final long LINGER_MS = 2000;

    /** One delivery: the message and System.nanoTime() when the listener saw it. */
    record Delivery(MessageExt message, String body, long receivedNanos) {
    }

    private final List<Delivery> deliveries = new ArrayList<>();
    /** How long the consumer feeding this inbox took to start (-1: not recorded), for the detail of a late run. */
    volatile long consumerStartMs = -1;
    /** When the consumer had its first queue, counted from its start (-1: none within the wait, or not recorded). */
    volatile long queuesAssignedMs = -1;

    MessageListenerConcurrently concurrentListener() {
        return (messages, context) -> {
            messages.forEach(this::add);
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        };
    }

    synchronized void add(MessageExt message) {
        deliveries.add(new Delivery(message, ScenarioContext.text(message.getBody()), System.nanoTime()));
        notifyAll();
    }

    synchronized List<Delivery> deliveries() {
        return new ArrayList<>(deliveries);
    }

    synchronized List<String> bodies() {
        List<String> bodies = new ArrayList<>(deliveries.size());
        deliveries.forEach(d -> bodies.add(d.body()));
        return bodies;
    }

    synchronized int size() {
        return deliveries.size();
    }

    /** Waits until every expected body has arrived at least once; false on timeout. */
    synchronized boolean awaitBodies(Collection<String> expected, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!distinctBodies().containsAll(expected)) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMs <= 0) {
                return false;
            }
            wait(leftMs);
        }
        return true;
    }

    /** Waits until at least count deliveries arrived; false on timeout. */
    synchronized boolean awaitCount(int count, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (deliveries.size() < count) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMs <= 0) {
                return false;
            }
            wait(leftMs);
        }
        return true;
    }

    /** For a late run: when the first and last deliveries came, counted from sinceNanos, and the consumer's start. */
    synchronized String timeline(long sinceNanos) {
        String start = (consumerStartMs < 0 ? "" : "consumer start took " + consumerStartMs + " ms; ")
            + "first queue after " + (queuesAssignedMs < 0 ? "none" : queuesAssignedMs + " ms") + "; ";
        if (deliveries.isEmpty()) {
            return start + "no delivery";
        }
        long firstMs = (deliveries.get(0).receivedNanos() - sinceNanos) / 1_000_000L;
        long lastMs = (deliveries.get(deliveries.size() - 1).receivedNanos() - sinceNanos) / 1_000_000L;
        return start + "deliveries from +" + firstMs + " to +" + lastMs + " ms";
    }

    private Set<String> distinctBodies() {
        Set<String> seen = new HashSet<>();
        deliveries.forEach(d -> seen.add(d.body()));
        return seen;
    }

    static void linger() throws InterruptedException {
        Thread.sleep(LINGER_MS);
    }
}

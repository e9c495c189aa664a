package org.rmqts.matrix;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.MessageQueue;

/** push_clustering, push_broadcasting. */
final class ConsumeScenarios {
    static final int QUEUES = 4;
    private static final int CLUSTERING_COUNT = 20;
    private static final int BROADCASTING_COUNT = 10;
    private static final long REBALANCE_TIMEOUT_MS = 25_000;

    private ConsumeScenarios() {
    }

    /** Two consumers of one group share the queues; 20 sent; each body received exactly once in all. */
    static Outcome pushClustering(ScenarioContext ctx) throws Exception {
        Inbox first = new Inbox();
        Inbox second = new Inbox();
        DefaultMQPushConsumer one = ctx.startConsumer("consumer1", first);
        DefaultMQPushConsumer two = ctx.startConsumer("consumer2", second);
        String split = awaitSplit(ctx.topic(), one, two);
        DefaultMQProducer producer = ctx.startProducer();
        for (int i = 0; i < CLUSTERING_COUNT; i++) {
            producer.send(ctx.message(i));
        }
        List<String> expected = SendScenarios.bodies(ctx, CLUSTERING_COUNT);
        boolean all = awaitUnion(first, second, expected);
        Inbox.linger();
        List<String> received = new ArrayList<>(first.bodies());
        received.addAll(second.bodies());
        BodyCheck check = BodyCheck.of(expected, received);
        String detail = check.summary() + " (consumer1 " + first.size() + ", consumer2 " + second.size() + "; "
            + split + ")";
        return Outcome.check(all && check.exact(), detail);
    }

    /** Waits until the two consumers hold disjoint queue sets covering the topic; describes the split. */
    private static String awaitSplit(String topic, DefaultMQPushConsumer one, DefaultMQPushConsumer two)
        throws InterruptedException {
        long deadline = System.nanoTime() + REBALANCE_TIMEOUT_MS * 1_000_000L;
        while (true) {
            Set<MessageQueue> queuesOne = ClientCompat.assignedQueues(one, topic);
            Set<MessageQueue> queuesTwo = ClientCompat.assignedQueues(two, topic);
            Set<MessageQueue> union = new HashSet<>(queuesOne);
            union.addAll(queuesTwo);
            boolean split = !queuesOne.isEmpty() && !queuesTwo.isEmpty() && union.size() == QUEUES
                && queuesOne.size() + queuesTwo.size() == QUEUES;
            if (split || System.nanoTime() > deadline) {
                return (split ? "queues split " : "queues NOT split after 25 s: ") + queuesOne.size() + "+"
                    + queuesTwo.size();
            }
            Thread.sleep(100);
        }
    }

    private static boolean awaitUnion(Inbox first, Inbox second, List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + SendScenarios.CONSUME_TIMEOUT_MS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            Set<String> seen = new HashSet<>(first.bodies());
            seen.addAll(second.bodies());
            if (seen.containsAll(expected)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Two BROADCASTING consumers of one group, started first; 10 sent; each receives all 10. */
    static Outcome pushBroadcasting(ScenarioContext ctx) throws Exception {
        Inbox first = new Inbox();
        Inbox second = new Inbox();
        startBroadcasting(ctx, "consumer1", first);
        startBroadcasting(ctx, "consumer2", second);
        DefaultMQProducer producer = ctx.startProducer();
        for (int i = 0; i < BROADCASTING_COUNT; i++) {
            producer.send(ctx.message(i));
        }
        List<String> expected = SendScenarios.bodies(ctx, BROADCASTING_COUNT);
        boolean all = first.awaitBodies(expected, SendScenarios.CONSUME_TIMEOUT_MS)
            & second.awaitBodies(expected, SendScenarios.CONSUME_TIMEOUT_MS);
        Inbox.linger();
        BodyCheck checkOne = BodyCheck.of(expected, first.bodies());
        BodyCheck checkTwo = BodyCheck.of(expected, second.bodies());
        String detail = "consumer1 " + checkOne.summary() + "; consumer2 " + checkTwo.summary();
        return Outcome.check(all && checkOne.complete() && checkTwo.complete(), detail);
    }

    private static void startBroadcasting(ScenarioContext ctx, String role, Inbox inbox) throws Exception {
        DefaultMQPushConsumer consumer = ctx.pushConsumer(role);
        ClientCompat.setMessageModel(consumer, "BROADCASTING");
        consumer.subscribe(ctx.topic(), "*");
        consumer.registerMessageListener(inbox.concurrentListener());
        ctx.start(consumer, inbox);
    }
}

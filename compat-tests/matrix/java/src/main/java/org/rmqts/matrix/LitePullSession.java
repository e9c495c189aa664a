package org.rmqts.matrix;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.rocketmq.client.ClientConfig;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * DefaultLitePullConsumer (clients 4.6 and newer), reached by reflection so the driver also builds against older
 * clients: assigned queue 0, auto-commit off, commitSync() and the shutdown that persists the offset.
 */
final class LitePullSession implements PullOffsetsScenario.PullSession {
    static final String CLASS_NAME = "org.apache.rocketmq.client.consumer.DefaultLitePullConsumer";
    private static final int BATCH_SIZE = 10;
    private static final long POLL_MS = 500;

    private final Object consumer;

    LitePullSession(ScenarioContext ctx, String role) throws Exception {
        Class<?> type = Class.forName(CLASS_NAME);
        consumer = type.getConstructor(String.class).newInstance(ctx.consumerGroup());
        ctx.configure((ClientConfig) consumer, role);
        call("setConsumeFromWhere", new Class<?>[] {ConsumeFromWhere.class},
            ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        call("setAutoCommit", new Class<?>[] {boolean.class}, false);
        call("setPullBatchSize", new Class<?>[] {int.class}, BATCH_SIZE);
        call("start", new Class<?>[0]);
        ctx.onClose(this::close);
        Collection<?> queues = (Collection<?>) call("fetchMessageQueues", new Class<?>[] {String.class}, ctx.topic());
        List<MessageQueue> mine = new ArrayList<>();
        for (Object queue : queues) {
            mine.add((MessageQueue) queue);
        }
        MessageQueue queue = PullOffsetsScenario.queueZero(mine);
        call("assign", new Class<?>[] {Collection.class}, List.of(queue));
    }

    @Override
    public String api() {
        return "DefaultLitePullConsumer";
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<MessageExt> read(int count, long timeoutMs) throws Exception {
        List<MessageExt> read = new ArrayList<>();
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (read.size() < count && System.nanoTime() < deadline) {
            read.addAll((List<MessageExt>) call("poll", new Class<?>[] {long.class}, POLL_MS));
        }
        return read;
    }

    /** commitSync() commits the position after the last polled message; shutdown sends it to the broker. */
    @Override
    public void commit(long nextOffset) throws Exception {
        call("commitSync", new Class<?>[0]);
    }

    @Override
    public void close() {
        try {
            call("shutdown", new Class<?>[0]);
        } catch (Exception e) {
            System.err.println("lite pull shutdown: " + Outcome.describe(e));
        }
    }

    private Object call(String name, Class<?>[] types, Object... args) throws Exception {
        Method method = consumer.getClass().getMethod(name, types);
        try {
            return method.invoke(consumer, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof Exception ? (Exception) cause : new RuntimeException(cause);
        }
    }
}

package org.rmqts.matrix;

import java.util.ArrayList;
import java.util.List;

import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/** DefaultMQPullConsumer (every client version): pulls queue 0 from the broker's committed offset. */
final class PullConsumerSession implements PullOffsetsScenario.PullSession {
    private final DefaultMQPullConsumer consumer;
    private final MessageQueue queue;
    private long nextOffset;

    PullConsumerSession(ScenarioContext ctx, String role) throws Exception {
        consumer = new DefaultMQPullConsumer(ctx.consumerGroup());
        ctx.configure(consumer, role);
        consumer.start();
        ctx.onClose(consumer::shutdown);
        queue = PullOffsetsScenario.queueZero(consumer.fetchSubscribeMessageQueues(ctx.topic()));
        long committed = consumer.fetchConsumeOffset(queue, true);
        nextOffset = Math.max(0, committed);
    }

    @Override
    public String api() {
        return "DefaultMQPullConsumer";
    }

    @Override
    public List<MessageExt> read(int count, long timeoutMs) throws Exception {
        List<MessageExt> read = new ArrayList<>();
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (read.size() < count && System.nanoTime() < deadline) {
            PullResult result = consumer.pullBlockIfNotFound(queue, "*", nextOffset, count - read.size());
            if (result.getPullStatus() == PullStatus.FOUND) {
                read.addAll(result.getMsgFoundList());
            } else if (result.getPullStatus() == PullStatus.OFFSET_ILLEGAL) {
                throw new IllegalStateException("pull at " + nextOffset + ": OFFSET_ILLEGAL, next "
                    + result.getNextBeginOffset());
            }
            nextOffset = result.getNextBeginOffset();
        }
        return read;
    }

    @Override
    public void commit(long offset) throws Exception {
        consumer.updateConsumeOffset(queue, offset);
        consumer.getDefaultMQPullConsumerImpl().updateConsumeOffsetToBroker(queue, offset, false);
    }

    @Override
    public void close() {
        consumer.shutdown();
    }
}

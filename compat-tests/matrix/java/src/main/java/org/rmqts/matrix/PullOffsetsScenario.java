package org.rmqts.matrix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * pull_offsets: 20 sent to queue 0; a pull consumer reads offsets 0..9, commits 10 and stops; a new one of the
 * same group resumes at 10 and reads 10..19 in order.
 *
 * <p>The lite pull consumer where the client has it (4.6 on), else DefaultMQPullConsumer. The 5.x lite pull consumer
 * pulls with LITE_PULL_MESSAGE (361), a 5.0 broker request code: a 4.7.1 broker never answers it, ours serves it as a
 * 5.x broker does (the cell is in beyond.json).
 */
final class PullOffsetsScenario {
    private static final int COUNT = 20;
    private static final int FIRST_READ = 10;
    private static final long READ_TIMEOUT_MS = 15_000;

    private PullOffsetsScenario() {
    }

    /** One pull-style consumer of queue 0 of a topic: reads, commits to the broker, stops. */
    interface PullSession extends AutoCloseable {
        /** Which client API this is, for the detail. */
        String api();

        /** Reads until count messages came or timeoutMs passed; returns what came (possibly more than count). */
        List<MessageExt> read(int count, long timeoutMs) throws Exception;

        /** Makes the broker hold nextOffset as the group's offset of the queue (at the latest when closed). */
        void commit(long nextOffset) throws Exception;

        /** Stops the consumer. */
        @Override
        void close();
    }

    static MessageQueue queueZero(Collection<MessageQueue> queues) {
        for (MessageQueue queue : queues) {
            if (queue.getQueueId() == 0) {
                return queue;
            }
        }
        throw new IllegalStateException("no queue 0 among " + queues);
    }

    static Outcome pullOffsets(ScenarioContext ctx) throws Exception {
        DefaultMQProducer producer = ctx.startProducer();
        MessageQueue queue = queueZero(producer.fetchPublishMessageQueues(ctx.topic()));
        for (int i = 0; i < COUNT; i++) {
            SendResult result = producer.send(ctx.message(i), queue);
            if (result.getSendStatus() != SendStatus.SEND_OK || result.getQueueOffset() != i) {
                return Outcome.fail("send " + i + " to queue 0: " + result.getSendStatus() + " at offset "
                    + result.getQueueOffset() + ", expected SEND_OK at " + i);
            }
        }
        String api;
        try (PullSession first = open(ctx, "reader1")) {
            api = first.api();
            List<MessageExt> read = first.read(FIRST_READ, READ_TIMEOUT_MS);
            String firstRead = mismatch(ctx, read, 0, FIRST_READ);
            if (firstRead != null) {
                return Outcome.fail(api + ", first reader: " + firstRead);
            }
            first.commit(FIRST_READ);
        }
        try (PullSession second = open(ctx, "reader2")) {
            List<MessageExt> read = second.read(COUNT - FIRST_READ, READ_TIMEOUT_MS);
            String secondRead = mismatch(ctx, read, FIRST_READ, COUNT);
            if (secondRead != null) {
                return Outcome.fail(api + ", second reader after commit of " + FIRST_READ + ": " + secondRead);
            }
        }
        return Outcome.pass(api + ": read offsets 0..9, committed 10; a new consumer resumed at 10 and read 10..19");
    }

    private static PullSession open(ScenarioContext ctx, String role) throws Exception {
        return ClientCompat.hasClass(LitePullSession.CLASS_NAME) ? new LitePullSession(ctx, role) : new PullConsumerSession(ctx, role);
    }

    /** null when read holds exactly the messages from..to-1 in order (offset i, body PREFIX_s-i). */
    private static String mismatch(ScenarioContext ctx, List<MessageExt> read, int from, int to) {
        List<String> got = new ArrayList<>();
        boolean ok = read.size() == to - from;
        for (int i = 0; i < read.size(); i++) {
            MessageExt message = read.get(i);
            String body = ScenarioContext.text(message.getBody());
            got.add(message.getQueueOffset() + ":" + body.substring(body.lastIndexOf('-') + 1));
            ok &= message.getQueueOffset() == from + i && body.equals(ctx.body(from + i));
        }
        return ok ? null : "expected offsets " + from + ".." + (to - 1) + ", got " + read.size() + " (offset:body) "
            + got;
    }
}

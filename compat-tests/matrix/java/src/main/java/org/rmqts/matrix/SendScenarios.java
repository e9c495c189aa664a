package org.rmqts.matrix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

/** send_sync, send_async, send_oneway, batch. */
final class SendScenarios {
    static final int COUNT = 10;
    static final long CONSUME_TIMEOUT_MS = 30_000;
    private static final long ASYNC_TIMEOUT_MS = 10_000;

    private SendScenarios() {
    }

    static List<String> bodies(ScenarioContext ctx, int count) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bodies.add(ctx.body(i));
        }
        return bodies;
    }

    /** 10 × SEND_OK, 10 distinct message ids, queue offsets distinct within each queue. */
    static Outcome sendSync(ScenarioContext ctx) throws Exception {
        DefaultMQProducer producer = ctx.startProducer();
        int sendOk = 0;
        Set<String> ids = new HashSet<>();
        Map<Integer, Set<Long>> offsetsByQueue = new HashMap<>();
        int repeatedOffsets = 0;
        for (int i = 0; i < COUNT; i++) {
            SendResult result = producer.send(ctx.message(i));
            sendOk += result.getSendStatus() == SendStatus.SEND_OK ? 1 : 0;
            ids.add(result.getMsgId());
            Set<Long> offsets = offsetsByQueue.computeIfAbsent(result.getMessageQueue().getQueueId(),
                q -> new HashSet<>());
            repeatedOffsets += offsets.add(result.getQueueOffset()) ? 0 : 1;
        }
        String detail = sendOk + "/" + COUNT + " SEND_OK, " + ids.size() + " distinct ids, " + offsetsByQueue.size()
            + " queues, " + repeatedOffsets + " repeated queue offsets";
        return Outcome.check(sendOk == COUNT && ids.size() == COUNT && repeatedOffsets == 0, detail);
    }

    /** 10 success callbacks, 0 exceptions, within 10 s. */
    static Outcome sendAsync(ScenarioContext ctx) throws Exception {
        DefaultMQProducer producer = ctx.startProducer();
        CountDownLatch callbacks = new CountDownLatch(COUNT);
        AtomicInteger successes = new AtomicInteger();
        AtomicInteger sendOk = new AtomicInteger();
        AtomicInteger exceptions = new AtomicInteger();
        AtomicReference<Throwable> firstException = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = 0; i < COUNT; i++) {
            producer.send(ctx.message(i), new SendCallback() {
                @Override
                public void onSuccess(SendResult result) {
                    successes.incrementAndGet();
                    sendOk.addAndGet(result.getSendStatus() == SendStatus.SEND_OK ? 1 : 0);
                    callbacks.countDown();
                }

                @Override
                public void onException(Throwable e) {
                    exceptions.incrementAndGet();
                    firstException.compareAndSet(null, e);
                    callbacks.countDown();
                }
            });
        }
        boolean inTime = callbacks.await(ASYNC_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        long ms = (System.nanoTime() - start) / 1_000_000L;
        String detail = successes.get() + "/" + COUNT + " success callbacks (" + sendOk.get() + " SEND_OK), "
            + exceptions.get() + " exceptions" + (inTime ? " in " + ms + " ms" : ", not all within 10 s")
            + (firstException.get() == null ? "" : "; first: " + Outcome.describe(firstException.get()));
        return Outcome.check(inTime && successes.get() == COUNT && sendOk.get() == COUNT && exceptions.get() == 0,
            detail);
    }

    /** Send 10 oneway; a push consumer receives all 10. */
    static Outcome sendOneway(ScenarioContext ctx) throws Exception {
        Inbox inbox = new Inbox();
        ctx.startConsumer("consumer", inbox);
        DefaultMQProducer producer = ctx.startProducer();
        for (int i = 0; i < COUNT; i++) {
            producer.sendOneway(ctx.message(i));
        }
        return consumed(inbox, bodies(ctx, COUNT), "10 sent oneway");
    }

    /** One batch send of 10 messages: SEND_OK; a consumer receives all 10. */
    static Outcome batch(ScenarioContext ctx) throws Exception {
        Inbox inbox = new Inbox();
        ctx.startConsumer("consumer", inbox);
        DefaultMQProducer producer = ctx.startProducer();
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            batch.add(ctx.message(i));
        }
        SendResult result = producer.send(batch);
        if (result.getSendStatus() != SendStatus.SEND_OK) {
            return Outcome.fail("batch send: " + result.getSendStatus() + ", expected SEND_OK");
        }
        String ids = result.getMsgId() == null ? "no ids" : result.getMsgId().split(",").length + " ids";
        return consumed(inbox, bodies(ctx, COUNT), "batch SEND_OK (" + ids + ")");
    }

    /** Waits for the expected bodies, lingers, and passes when all came and nothing else did. */
    static Outcome consumed(Inbox inbox, List<String> expected, String sendDetail) throws InterruptedException {
        long waitNanos = System.nanoTime();
        boolean all = inbox.awaitBodies(expected, CONSUME_TIMEOUT_MS);
        Inbox.linger();
        BodyCheck check = BodyCheck.of(expected, inbox.bodies());
        String late = all ? "" : " (not all within " + CONSUME_TIMEOUT_MS / 1000 + " s; " + inbox.timeline(waitNanos) + ")";
        return Outcome.check(all && check.complete(), sendDetail + "; " + check.summary() + late);
    }
}

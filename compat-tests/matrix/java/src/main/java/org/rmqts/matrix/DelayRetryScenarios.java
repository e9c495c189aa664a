package org.rmqts.matrix;

import java.util.ArrayList;
import java.util.List;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

/** delay, retry_dlq. */
final class DelayRetryScenarios {
    private static final int DELAY_LEVEL_1S = 1;
    private static final long MIN_DELAY_MS = 900;
    private static final long NO_THIRD_DELIVERY_MS = 5_000;
    private static final int ROUTE_POLL_MS = 5_000;
    /** Kept for the 5 s watch for a third delivery and the clients' shutdown. */
    private static final long RESERVE_MS = NO_THIRD_DELIVERY_MS + 3_000;

    private DelayRetryScenarios() {
    }

    /** One message with delay level 1 (1 s): received, no sooner than 900 ms after the send returned. */
    static Outcome delay(ScenarioContext ctx) throws Exception {
        Inbox inbox = new Inbox();
        ctx.startConsumer("consumer", inbox);
        DefaultMQProducer producer = ctx.startProducer();
        Message message = ctx.message(0);
        message.setDelayTimeLevel(DELAY_LEVEL_1S);
        SendResult result = producer.send(message);
        long sentNanos = System.nanoTime();
        if (result.getSendStatus() != SendStatus.SEND_OK) {
            return Outcome.fail("send: " + result.getSendStatus() + ", expected SEND_OK");
        }
        List<String> expected = List.of(ctx.body(0));
        boolean received = inbox.awaitBodies(expected, SendScenarios.CONSUME_TIMEOUT_MS);
        Inbox.linger();
        if (!received) {
            return Outcome.fail("delayed message not received within 30 s");
        }
        long delayMs = (inbox.deliveries().get(0).receivedNanos() - sentNanos) / 1_000_000L;
        BodyCheck check = BodyCheck.of(expected, inbox.bodies());
        String detail = check.summary() + " " + delayMs + " ms after the send returned (at least " + MIN_DELAY_MS
            + " ms expected)";
        return Outcome.check(delayMs >= MIN_DELAY_MS && check.exact(), detail);
    }

    /**
     * maxReconsumeTimes 1 and every delivery failed: delivered with reconsumeTimes 0, then 1, then not again
     * within 5 s (the broker moves it to %DLQ%, which the harness checks).
     */
    static Outcome retryDlq(ScenarioContext ctx) throws Exception {
        Inbox inbox = new Inbox();
        DefaultMQPushConsumer consumer = ctx.pushConsumer("consumer");
        consumer.setMaxReconsumeTimes(1);
        // 5.x clients learn the %RETRY% route (created by their first heartbeat) only from the periodic route
        // poll, 30 s by default, and take its queue at the next rebalance: the retry came 40 s after the first
        // delivery, against Java servers too. A 5 s poll keeps the scenario well inside its 60 s.
        consumer.setPollNameServerInterval(ROUTE_POLL_MS);
        consumer.subscribe(ctx.topic(), "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (messages, context) -> {
            messages.forEach(inbox::add);
            return ConsumeConcurrentlyStatus.RECONSUME_LATER;
        });
        ctx.start(consumer, inbox);
        DefaultMQProducer producer = ctx.startProducer();
        SendResult result = producer.send(ctx.message(0));
        if (result.getSendStatus() != SendStatus.SEND_OK) {
            return Outcome.fail("send: " + result.getSendStatus() + ", expected SEND_OK");
        }
        // the retry comes after the 10 s of delay level 3 once the consumer's rebalance (every 20 s) took the
        // %RETRY% queue, so wait for it as long as the 60 s allow
        long waitMs = ctx.msLeft(RESERVE_MS);
        boolean twice = inbox.awaitCount(2, waitMs);
        Thread.sleep(NO_THIRD_DELIVERY_MS);
        List<String> seen = new ArrayList<>();
        List<Integer> reconsumeTimes = new ArrayList<>();
        long firstNanos = 0;
        for (Inbox.Delivery delivery : inbox.deliveries()) {
            firstNanos = firstNanos == 0 ? delivery.receivedNanos() : firstNanos;
            reconsumeTimes.add(delivery.message().getReconsumeTimes());
            seen.add("reconsumeTimes " + delivery.message().getReconsumeTimes() + " at +"
                + (delivery.receivedNanos() - firstNanos) / 1_000_000L + " ms"
                + (delivery.body().equals(ctx.body(0)) ? "" : " body " + delivery.body()));
        }
        boolean bodiesOk = BodyCheck.of(List.of(ctx.body(0)), inbox.bodies()).complete();
        String detail = inbox.size() + " deliveries: " + seen
            + (twice ? "" : "; second delivery not within " + waitMs + " ms");
        return Outcome.check(twice && bodiesOk && reconsumeTimes.equals(List.of(0, 1)), detail);
    }
}

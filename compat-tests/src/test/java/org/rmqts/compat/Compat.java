package org.rmqts.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;

/** Small helpers shared by the scenarios: unique names, client factories, bounded waits. */
public final class Compat {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Compat() {
    }

    /** Unique topic / group name; valid for the 4.7.1 topic pattern ^[%|a-zA-Z0-9_-]+$. */
    public static String unique(String prefix) {
        return prefix + "_" + (System.currentTimeMillis() % 100_000_000L) + "_" + SEQ.incrementAndGet();
    }

    public static DefaultMQProducer producer(Servers s, String group) throws MQClientException {
        DefaultMQProducer p = new DefaultMQProducer(group);
        p.setNamesrvAddr(s.nsAddr());
        p.setInstanceName(unique("producer"));
        p.setSendMsgTimeout(10_000);
        p.start();
        return p;
    }

    /** Settings of a push consumer made before it starts (where to start, subscription, message model, ...). */
    public interface Setup {
        void apply(DefaultMQPushConsumer c) throws MQClientException;
    }

    /**
     * Push consumer collecting every delivered message into {@code sink}; the listener always returns
     * CONSUME_SUCCESS.
     */
    public static DefaultMQPushConsumer pushConsumer(Servers s, String group, String topic, String expression,
        ConsumeFromWhere from, List<MessageExt> sink) throws MQClientException {
        return pushConsumer(s, group, "consumer", c -> {
            c.setConsumeFromWhere(from);
            c.subscribe(topic, expression);
            c.setAwaitTerminationMillisWhenShutdown(5_000);
        }, collectInto(sink));
    }

    /** A started push consumer of {@code group} on our NameServer, set up by {@code setup}, consuming with {@code listener}. */
    public static DefaultMQPushConsumer pushConsumer(Servers s, String group, String instancePrefix, Setup setup,
        MessageListenerConcurrently listener) throws MQClientException {
        DefaultMQPushConsumer c = new DefaultMQPushConsumer(group);
        c.setNamesrvAddr(s.nsAddr());
        c.setInstanceName(unique(instancePrefix));
        setup.apply(c);
        c.registerMessageListener(listener);
        c.start();
        return c;
    }

    /** A listener that adds every delivered message to {@code sink} and always returns CONSUME_SUCCESS. */
    public static MessageListenerConcurrently collectInto(List<MessageExt> sink) {
        return (msgs, ctx) -> {
            sink.addAll(msgs);
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        };
    }

    public static <T> List<T> syncList() {
        return Collections.synchronizedList(new java.util.ArrayList<>());
    }

    public static String body(MessageExt m) {
        return new String(m.getBody(), StandardCharsets.UTF_8);
    }

    /** Polls {@code condition} every 100 ms; fails with {@code what} and the current state after {@code timeoutMs}. */
    public static void await(String what, long timeoutMs, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what
                    + (state == null ? "" : " (" + state.get() + ")"));
            }
            Servers.sleep(100);
        }
    }

    /** Waits until the NameServer returns a route for {@code topic} that names our broker (raw GET_ROUTEINFO_BY_TOPIC). */
    public static void awaitRoute(Servers s, String topic, long timeoutMs) {
        String[] last = {"no answer yet"};
        await("a route for topic " + topic + " on the NameServer", timeoutMs, () -> {
            try (Raw raw = Raw.connect(s.nsPort())) {
                Raw.Cmd r = raw.call(105, Collections.singletonMap("topic", topic), null, 3000);
                last[0] = r.toString();
                return r.code == 0 && r.body != null
                    && new String(r.body, StandardCharsets.UTF_8).contains(s.brokerAddr());
            } catch (IOException e) {
                last[0] = e.toString();
                return false;
            }
        }, () -> last[0]);
    }
}

package org.rmqts.matrix;

import java.util.ArrayList;
import java.util.List;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.MessageSelector;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;

/** filter_tag, filter_sql92. */
final class FilterScenarios {
    private static final String[] TAGS = {"TagA", "TagB", "TagC"};
    private static final int TAG_COUNT = 30;
    private static final int SQL_COUNT = 10;
    private static final int SQL_THRESHOLD = 5;

    private FilterScenarios() {
    }

    /** 30 sent with TagA, TagB, TagC in turn; "TagA || TagB" receives exactly the 20 A and B, tags intact. */
    static Outcome filterTag(ScenarioContext ctx) throws Exception {
        Inbox inbox = new Inbox();
        DefaultMQPushConsumer consumer = ctx.pushConsumer("consumer");
        consumer.subscribe(ctx.topic(), "TagA || TagB");
        consumer.registerMessageListener(inbox.concurrentListener());
        ctx.start(consumer, inbox);
        DefaultMQProducer producer = ctx.startProducer();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < TAG_COUNT; i++) {
            Message message = ctx.message(i);
            message.setTags(tagOf(i));
            producer.send(message);
            if (i % TAGS.length != 2) {
                expected.add(ctx.body(i));
            }
        }
        boolean all = inbox.awaitBodies(expected, SendScenarios.CONSUME_TIMEOUT_MS);
        Inbox.linger();
        BodyCheck check = BodyCheck.of(expected, inbox.bodies());
        List<String> wrongTags = new ArrayList<>();
        for (Inbox.Delivery delivery : inbox.deliveries()) {
            String want = tagFor(ctx, delivery.body());
            if (want != null && !want.equals(delivery.message().getTags())) {
                wrongTags.add(delivery.body() + " tag " + delivery.message().getTags());
            }
        }
        String detail = check.summary() + (wrongTags.isEmpty() ? ", tags intact"
            : ", " + wrongTags.size() + " wrong tags, e.g. " + wrongTags.get(0));
        return Outcome.check(all && check.exact() && wrongTags.isEmpty(), detail);
    }

    private static String tagOf(int i) {
        return TAGS[i % TAGS.length];
    }

    /** The tag the message with this body was sent with, or null for a body we did not send. */
    private static String tagFor(ScenarioContext ctx, String body) {
        String head = ctx.topic() + "-";
        if (!body.startsWith(head)) {
            return null;
        }
        try {
            return tagOf(Integer.parseInt(body.substring(head.length())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** 10 sent with property a = 0..9; the selector "a >= 5" receives exactly a = 5..9. */
    static Outcome filterSql92(ScenarioContext ctx) throws Exception {
        Inbox inbox = new Inbox();
        DefaultMQPushConsumer consumer = ctx.pushConsumer("consumer");
        consumer.subscribe(ctx.topic(), MessageSelector.bySql("a >= " + SQL_THRESHOLD));
        consumer.registerMessageListener(inbox.concurrentListener());
        ctx.start(consumer, inbox);
        DefaultMQProducer producer = ctx.startProducer();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < SQL_COUNT; i++) {
            Message message = ctx.message(i);
            message.putUserProperty("a", String.valueOf(i));
            producer.send(message);
            if (i >= SQL_THRESHOLD) {
                expected.add(ctx.body(i));
            }
        }
        boolean all = inbox.awaitBodies(expected, SendScenarios.CONSUME_TIMEOUT_MS);
        Inbox.linger();
        BodyCheck check = BodyCheck.of(expected, inbox.bodies());
        List<String> wrongProperty = new ArrayList<>();
        for (Inbox.Delivery delivery : inbox.deliveries()) {
            String a = delivery.message().getUserProperty("a");
            if (!delivery.body().equals(ctx.body(a == null ? -1 : parseOr(a, -1)))) {
                wrongProperty.add(delivery.body() + " a=" + a);
            }
        }
        String detail = check.summary() + (wrongProperty.isEmpty() ? ", property a intact"
            : ", " + wrongProperty.size() + " with a wrong property a, e.g. " + wrongProperty.get(0));
        return Outcome.check(all && check.exact() && wrongProperty.isEmpty(), detail);
    }

    private static int parseOr(String text, int fallback) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}

package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tag filters: groups subscribed with "TagA", "TagA || TagB", "*" and "Aa" get exactly the messages whose tag
 * matches. "Aa" and "BB" share a Java hashCode, so the broker's tag-code filter lets "BB" through and the client's
 * string check drops it: the application still sees only "Aa". A lite pull consumer (subscription sent with every
 * pull) filters the same way.
 */
class TagFilterTest {
    private static final List<String> TAGS = Arrays.asList("TagA", "TagB", "TagC", null, "Aa", "BB");
    private static final int PER_TAG = 15;

    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create().withProducer("pg_tags").withAdmin();
    private static String topic;

    @BeforeAll
    static void sendTheMessages() throws Exception {
        topic = Compat.unique("TagTopic");
        Consumption.createTopic(fx.servers(), fx.admin(), topic, 4);
        for (int i = 0; i < PER_TAG; i++) {
            for (String tag : TAGS) {
                Message m = new Message(topic, (tag + "-" + i).getBytes(StandardCharsets.UTF_8));
                if (tag != null) {
                    m.setTags(tag);
                }
                fx.producer().send(m);
            }
        }
    }

    static Set<String> expected(String... tags) {
        Set<String> s = new TreeSet<>();
        for (String tag : tags) {
            s.addAll(Consumption.expected(tag, PER_TAG));
        }
        return s;
    }

    @Test
    void pushConsumersGetExactlyTheirTags() throws Exception {
        String[] expressions = {"TagA", "TagA || TagB", "*", "Aa"};
        List<Set<String>> wanted = Arrays.asList(expected("TagA"), expected("TagA", "TagB"),
            expected("TagA", "TagB", "TagC", "null", "Aa", "BB"), expected("Aa"));
        String[] labels = Arrays.stream(expressions).map(e -> "'" + e + "'").toArray(String[]::new);
        Consumption.assertEachGetsExactly(expressions, labels, wanted, (expression, sink) -> Compat.pushConsumer(
            fx.servers(), Compat.unique("cg_tag"), topic, expression, ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, sink));
    }

    @Test
    void litePullConsumerFiltersByTagToo() throws Exception {
        DefaultLitePullConsumer c = Consumption.litePull(fx.servers(), Compat.unique("cg_tag_lite"));
        c.subscribe(topic, "TagB || TagC");
        c.start();
        try {
            Set<String> want = expected("TagB", "TagC");
            List<MessageExt> got = Consumption.pollUntil(c, want, 30_000);
            assertEquals(want, Consumption.bodies(got), "bodies for 'TagB || TagC'");
            assertEquals(want.size(), got.size(), "deliveries");
            assertEquals(Collections.emptySet(), Consumption.duplicates(got), "duplicates");
        } finally {
            c.shutdown();
        }
    }
}

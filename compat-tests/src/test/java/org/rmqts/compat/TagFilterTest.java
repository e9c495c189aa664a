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
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tag filters: groups subscribed with "TagA", "TagA || TagB", "*" and "Aa" get exactly the messages whose tag
 * matches. "Aa" and "BB" share a Java hashCode, so the broker's tag-code filter lets "BB" through and the client's
 * string check drops it: the application still sees only "Aa". A lite pull consumer (subscription sent with every
 * pull) filters the same way.
 */
class TagFilterTest {
    private static final List<String> TAGS = Arrays.asList("TagA", "TagB", "TagC", null, "Aa", "BB");
    private static final int PER_TAG = 15;
    private static Servers servers;
    private static DefaultMQProducer producer;
    private static DefaultMQAdminExt admin;
    private static String topic;

    @BeforeAll
    static void boot() throws Exception {
        servers = Servers.start(TagFilterTest.class);
        producer = Compat.producer(servers, Compat.unique("pg_tags"));
        admin = Consumption.admin(servers);
        topic = Compat.unique("TagTopic");
        Consumption.createTopic(servers, admin, topic, 4);
        for (int i = 0; i < PER_TAG; i++) {
            for (String tag : TAGS) {
                Message m = new Message(topic, (tag + "-" + i).getBytes(StandardCharsets.UTF_8));
                if (tag != null) {
                    m.setTags(tag);
                }
                producer.send(m);
            }
        }
    }

    @AfterAll
    static void shutdown() {
        Consumption.shutdown(admin, producer, servers);
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
        List<List<MessageExt>> sinks = new ArrayList<>();
        List<DefaultMQPushConsumer> consumers = new ArrayList<>();
        try {
            for (String expression : expressions) {
                List<MessageExt> sink = Compat.syncList();
                sinks.add(sink);
                consumers.add(Compat.pushConsumer(servers, Compat.unique("cg_tag"), topic, expression,
                    ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, sink));
            }
            for (int i = 0; i < expressions.length; i++) {
                List<MessageExt> sink = sinks.get(i);
                Set<String> want = wanted.get(i);
                Compat.await("the messages of '" + expressions[i] + "'", 30_000,
                    () -> Consumption.bodies(sink).containsAll(want), () -> sink.size() + " received");
            }
            Servers.sleep(2000); // anything that does not match would have arrived by now
            for (int i = 0; i < expressions.length; i++) {
                assertEquals(wanted.get(i), Consumption.bodies(sinks.get(i)), "bodies for '" + expressions[i] + "'");
                assertEquals(wanted.get(i).size(), sinks.get(i).size(), "deliveries for '" + expressions[i] + "'");
            }
        } finally {
            for (DefaultMQPushConsumer c : consumers) {
                c.shutdown();
            }
        }
    }

    @Test
    void litePullConsumerFiltersByTagToo() throws Exception {
        DefaultLitePullConsumer c = new DefaultLitePullConsumer(Compat.unique("cg_tag_lite"));
        c.setNamesrvAddr(servers.nsAddr());
        c.setInstanceName(Compat.unique("lite"));
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.subscribe(topic, "TagB || TagC");
        c.start();
        List<MessageExt> got = new ArrayList<>();
        try {
            Set<String> want = expected("TagB", "TagC");
            long deadline = System.currentTimeMillis() + 30_000;
            while (!Consumption.bodies(got).containsAll(want) && System.currentTimeMillis() < deadline) {
                got.addAll(c.poll(500));
            }
            got.addAll(c.poll(1500));
            assertEquals(want, Consumption.bodies(got), "bodies for 'TagB || TagC'");
            assertEquals(want.size(), got.size(), "deliveries");
            assertEquals(Collections.emptySet(), Consumption.duplicates(got), "duplicates");
        } finally {
            c.shutdown();
        }
    }
}

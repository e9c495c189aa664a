package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.MessageSelector;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SQL92 filters (MessageSelector.bySql) with enablePropertyFilter=true, set at runtime with
 * UPDATE_BROKER_CONFIG: push and lite pull consumers get exactly the messages whose properties (TAGS included)
 * match; a consumer with an expression that does not compile fails at start() with SUBSCRIPTION_PARSE_FAILED; with
 * enablePropertyFilter=false an SQL92 consumer fails at start() with the broker's refusal.
 */
class SqlFilterTest {
    private static final int COUNT = 60;

    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create().withProducer("pg_sql").withAdmin();
    private static String topic;

    @BeforeAll
    static void enableFilterAndSend() throws Exception {
        setPropertyFilter(true);
        topic = Compat.unique("SqlTopic");
        Consumption.createTopic(fx.servers(), fx.admin(), topic, 4);
        String[] tags = {"A", "B", "C"};
        String[] colors = {"red", "green", "blue", null};
        for (int i = 0; i < COUNT; i++) {
            Message m = new Message(topic, tags[i % 3], ("sql-" + i).getBytes(StandardCharsets.UTF_8));
            m.putUserProperty("a", String.valueOf(i));
            if (colors[i % 4] != null) {
                m.putUserProperty("color", colors[i % 4]);
            }
            fx.producer().send(m);
        }
    }

    static void setPropertyFilter(boolean enabled) throws Exception {
        Properties p = new Properties();
        p.setProperty("enablePropertyFilter", String.valueOf(enabled));
        fx.admin().updateBrokerConfig(fx.servers().brokerAddr(), p);
        Properties now = fx.admin().getBrokerConfig(fx.servers().brokerAddr());
        assertEquals(String.valueOf(enabled), now.getProperty("enablePropertyFilter"), "broker config after update");
    }

    /** The bodies among sql-0..sql-59 whose properties satisfy {@code predicate}. */
    interface Want {
        boolean test(int i, String tag, String color);
    }

    static Set<String> expected(Want want) {
        String[] tags = {"A", "B", "C"};
        String[] colors = {"red", "green", "blue", null};
        Set<String> s = new TreeSet<>();
        for (int i = 0; i < COUNT; i++) {
            if (want.test(i, tags[i % 3], colors[i % 4])) {
                s.add("sql-" + i);
            }
        }
        return s;
    }

    static DefaultMQPushConsumer sqlConsumer(String expression, List<MessageExt> sink) throws MQClientException {
        return Compat.pushConsumer(fx.servers(), Compat.unique("cg_sql"), "sql", c -> {
            c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            c.subscribe(topic, MessageSelector.bySql(expression));
        }, Compat.collectInto(sink));
    }

    @Test
    void pushConsumersGetExactlyTheMatchingMessages() throws Exception {
        String[] expressions = {
            "TAGS IN ('A', 'B') AND a BETWEEN 10 AND 40",
            "color IS NULL OR (color = 'red' AND a >= 30)",
            "NOT (TAGS = 'C') AND color <> 'green' AND a < 12",
        };
        List<Set<String>> wanted = new ArrayList<>();
        wanted.add(expected((i, tag, color) -> (tag.equals("A") || tag.equals("B")) && i >= 10 && i <= 40));
        wanted.add(expected((i, tag, color) -> color == null || (color.equals("red") && i >= 30)));
        wanted.add(expected((i, tag, color) -> !tag.equals("C") && color != null && !color.equals("green") && i < 12));
        Consumption.assertEachGetsExactly(expressions, expressions, wanted, SqlFilterTest::sqlConsumer);
    }

    @Test
    void litePullConsumerGetsExactlyTheMatchingMessages() throws Exception {
        DefaultLitePullConsumer c = Consumption.litePull(fx.servers(), Compat.unique("cg_sql_lite"));
        c.subscribe(topic, MessageSelector.bySql("a > 50 OR color = 'blue'"));
        c.start();
        try {
            Set<String> want = expected((i, tag, color) -> i > 50 || "blue".equals(color));
            List<MessageExt> got = Consumption.pollUntil(c, want, 30_000);
            assertEquals(want, Consumption.bodies(got), "bodies");
            assertEquals(want.size(), got.size(), "deliveries");
        } finally {
            c.shutdown();
        }
    }

    @Test
    void badExpressionFailsAtStart() throws Exception {
        List<MessageExt> sink = Compat.syncList();
        MQClientException e = assertThrows(MQClientException.class, () -> sqlConsumer("a >", sink).shutdown());
        assertEquals(23, e.getResponseCode(), "SUBSCRIPTION_PARSE_FAILED: " + e.getMessage());
        assertTrue(e.getErrorMessage() != null && !e.getErrorMessage().isEmpty(), "the broker says why: " + e.getMessage());
    }

    @Test
    void disabledPropertyFilterRefusesSql92AtStart() throws Exception {
        setPropertyFilter(false);
        try {
            List<MessageExt> sink = Compat.syncList();
            MQClientException e = assertThrows(MQClientException.class, () -> sqlConsumer("a > 1", sink).shutdown());
            assertEquals(1, e.getResponseCode(), "SYSTEM_ERROR: " + e.getMessage());
            assertTrue(e.getMessage().contains("The broker does not support consumer to filter message by SQL92"),
                e.getMessage());
        } finally {
            setPropertyFilter(true);
        }
    }
}

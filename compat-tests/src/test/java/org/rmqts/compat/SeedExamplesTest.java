package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rmqts.compat.seed.Consumer;
import org.rmqts.compat.seed.Producer;

/**
 * The seed document's Producer (7.3) and Consumer (7.4), unmodified, in their own JVMs. They hard-code
 * {@code localhost:9876}, so the NameServer of this class listens on 9876.
 */
class SeedExamplesTest {
    private static final Pattern BODY = Pattern.compile("Hello Java demo RocketMQ (\\d+)");
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create().nsPort(9876);

    @Test
    void producerSends100AndConsumerReceivesAll() throws Exception {
        Path work = fx.servers().workDir();
        Path logs = Servers.buildDir().resolve("server-logs");

        // 1. the producer: 100 synchronous sends, each printing its SendResult, then exits
        List<String> out;
        try (ChildJvm producer = ChildJvm.start(Producer.class.getName(), work.resolve("producer"),
            logs.resolve("SeedExamplesTest-Producer.out"))) {
            Integer exit = producer.waitFor(90_000);
            assertNotNull(exit, "seed Producer did not finish within 90 s; tail:\n" + producer.tail(20));
            out = producer.lines();
            assertEquals(0, exit.intValue(), "seed Producer exit code; tail:\n" + producer.tail(20));
        }
        List<String> results = out.stream().filter(l -> l.startsWith("SendResult [")).collect(Collectors.toList());
        long ok = results.stream().filter(l -> l.contains("sendStatus=SEND_OK")).count();
        assertEquals(100, results.size(), "SendResult lines printed by the seed Producer");
        assertEquals(100, ok, "SendResults with SEND_OK");
        for (String r : results) {
            assertTrue(r.contains("topic=topic_rocket_example") && r.contains("brokerName=broker-a"),
                "SendResult names the topic and broker-a: " + r);
            assertTrue(r.matches(".*msgId=([0-9A-F]{32}|[0-9A-F]{56}),.*") && r.matches(".*offsetMsgId=[0-9A-F]{32}.*"),
                "msgId / offsetMsgId are 32 upper-case hex: " + r);
        }

        // 2. the consumer never exits: read its stdout until the 100 bodies arrived, then stop it
        Set<Integer> seen = new TreeSet<>();
        int lines;
        try (ChildJvm consumer = ChildJvm.start(Consumer.class.getName(), work.resolve("consumer"),
            logs.resolve("SeedExamplesTest-Consumer.out"))) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                seen.clear();
                for (String l : consumer.lines()) {
                    Matcher m = BODY.matcher(l);
                    if (m.find()) {
                        seen.add(Integer.parseInt(m.group(1)));
                    }
                }
                if (seen.size() >= 100) {
                    break;
                }
                Thread.sleep(250);
            }
            lines = (int) consumer.lines().stream().filter(l -> BODY.matcher(l).find()).count();
            assertTrue(consumer.lines().stream().anyMatch(l -> l.contains("消息消费者已启动")),
                "the consumer printed its start line; tail:\n" + consumer.tail(20));
            assertEquals(100, seen.size(), "distinct bodies received by the seed Consumer within 60 s; tail:\n"
                + consumer.tail(20));
        }
        for (int i = 0; i < 100; i++) {
            assertTrue(seen.contains(i), "body 'Hello Java demo RocketMQ " + i + "' received");
        }
        assertTrue(lines >= 100, "at least 100 body lines");
    }
}

package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker's /metrics with the official 4.7.1 clients: N messages sent by a Java producer, all consumed by a Java
 * push consumer, K more sent after it stopped. The exporter-named families say so (consumer offset N, group diff K,
 * one online consumer while it runs), and rocketmq_client_* carry what the real consumer answered to
 * GET_CONSUMER_RUNNING_INFO. Ours only: the Java broker has no /metrics.
 */
class MetricsEndpointTest {
    private static final int N = 40;
    private static final int K = 7;
    private static final int METRICS_PORT = Servers.freePort(false);

    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create().withProducer("pg_metrics").withAdmin()
        .brokerConf("metricsPort", String.valueOf(METRICS_PORT))
        .tsOnly("the Java 4.7.1 broker has no /metrics endpoint");

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample line: its name, labels in the order written, and value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    static List<Sample> scrape() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + METRICS_PORT + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode());
        List<Sample> samples = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            Matcher l = LABEL.matcher(m.group(3) == null ? "" : m.group(3));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return samples;
    }

    static List<Sample> find(List<Sample> samples, String name, Map<String, String> where) {
        List<Sample> found = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().entrySet().containsAll(where.entrySet())) {
                found.add(s);
            }
        }
        return found;
    }

    static double value(List<Sample> samples, String name, Map<String, String> where) {
        List<Sample> found = find(samples, name, where);
        assertEquals(1, found.size(), name + " " + where + ": " + found);
        return found.get(0).value();
    }

    /** Scrapes until {@code name}{where} has exactly {@code expected} (offsets are committed every second). */
    static List<Sample> awaitValue(String name, Map<String, String> where, double expected) throws Exception {
        List<List<Sample>> last = new ArrayList<>(List.of(scrape()));
        Compat.await(name + " " + where + " = " + expected, 30_000, () -> {
            try {
                last.set(0, scrape());
                List<Sample> found = find(last.get(0), name, where);
                return found.size() == 1 && found.get(0).value() == expected;
            } catch (Exception e) {
                return false;
            }
        }, () -> String.valueOf(find(last.get(0), name, where)));
        return last.get(0);
    }

    @Test
    void theExporterFamiliesFollowARealProducerAndConsumer() throws Exception {
        String topic = Compat.unique("MetricsTopic");
        String group = Compat.unique("cg_metrics");
        Consumption.createTopic(fx.servers(), fx.admin(), topic, 4);
        for (int i = 0; i < N; i++) {
            fx.producer().send(new Message(topic, ("m-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        List<MessageExt> got = Compat.syncList();
        DefaultMQPushConsumer consumer = Compat.pushConsumer(fx.servers(), group, "consumer", c -> {
            c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            c.subscribe(topic, "*");
            c.setPersistConsumerOffsetInterval(1000);
            c.setAwaitTerminationMillisWhenShutdown(5_000);
        }, Compat.collectInto(got));
        Map<String, String> ofGroup = Map.of("topic", topic, "group", group);
        try {
            Compat.await("all " + N + " messages consumed", 30_000, () -> got.size() >= N, () -> got.size() + " consumed");
            List<Sample> page = awaitValue("rocketmq_consumer_offset", ofGroup, N);
            assertEquals(0, value(page, "rocketmq_group_diff", Map.of("group", group, "topic", topic, "countOfOnlineConsumers", "1", "msgModel", "1")));
            assertEquals(1, value(page, "rocketmq_group_count", Map.of("group", group)));
            assertEquals(N, value(page, "rocketmq_producer_offset", Map.of("topic", topic)));
            assertEquals(N, value(page, "rocketmq_messages_in_total", Map.of("topic", topic)));
            assertEquals(N, value(page, "rocketmq_messages_out_total", Map.of("topic", topic, "consumer_group", group)));
            assertEquals(1, value(page, "rocketmq_producer_count", Map.of("group", fx.producer().getProducerGroup())));
            // The real 4.7.1 consumer's ConsumerRunningInfo, asked over its own connection at scrape time.
            List<Sample> pullTps = find(page, "rocketmq_client_consumer_pull_tps", ofGroup);
            assertEquals(1, pullTps.size(), String.valueOf(find(page, "rocketmq_client_consumer_pull_tps", Map.of())));
            assertEquals(List.of("clientAddr", "clientId", "group", "topic"), new ArrayList<>(pullTps.get(0).labels().keySet()));
            assertTrue(pullTps.get(0).labels().get("clientId").contains("@"), pullTps.toString());
            assertFalse(find(page, "rocketmq_client_consume_ok_msg_tps", ofGroup).isEmpty());
        } finally {
            consumer.shutdown();
        }
        for (int i = 0; i < K; i++) {
            fx.producer().send(new Message(topic, ("late-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        List<Sample> page = awaitValue("rocketmq_group_diff", Map.of("group", group, "topic", topic, "countOfOnlineConsumers", "0"), K);
        assertEquals(N + K, value(page, "rocketmq_producer_offset", Map.of("topic", topic)));
        assertEquals(N, value(page, "rocketmq_consumer_offset", ofGroup));
        assertTrue(value(page, "rocketmq_group_get_latency_by_storetime", ofGroup) >= 0);
        assertTrue(find(page, "rocketmq_client_consumer_pull_tps", ofGroup).isEmpty(), "no client metrics once the consumer is gone");
    }
}

package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** One set of servers with the scenario run on it. */
final class ParitySide {
    final String name;
    final Servers servers;
    DefaultMQProducer producer;
    DefaultMQPushConsumer consumer;
    DefaultMQAdminExt admin;
    final List<SendResult> sent = new ArrayList<>();
    final List<MessageExt> received = Compat.syncList();

    ParitySide(String name, Class<?> owner, String target) throws Exception {
        this(name, target, () -> Servers.start(owner));
    }

    /** Servers that {@code start} boots with {@code compat.target} set to {@code target} (the NameServer's). */
    ParitySide(String name, String target, Supplier<Servers> start) {
        this.name = name;
        String previous = System.getProperty("compat.target");
        System.setProperty("compat.target", target);
        try {
            servers = start.get();
        } finally {
            if (previous == null) {
                System.clearProperty("compat.target");
            } else {
                System.setProperty("compat.target", previous);
            }
        }
    }

    /**
     * Runs {@code mqadmin args} on both sides and compares the masked outputs line by line; lines {@code mask} maps to
     * null are left out on both sides. Java's run must have worked and printed something (no vacuous match).
     */
    static void assertSameOutput(ParitySide javaSide, ParitySide tsSide, Function<String, String> mask, String... args) {
        MqAdmin.Result javaRun = javaSide.run(javaSide.substitute(args));
        assertFalse(javaRun.failed() || javaRun.lines().isEmpty(), "Java 4.7.1 answered mqadmin " + String.join(" ", args) + ": " + javaRun);
        List<String> expected = javaSide.normalized(javaRun).stream().map(mask).filter(Objects::nonNull).collect(Collectors.toList());
        List<String> actual = tsSide.normalized(tsSide.run(tsSide.substitute(args))).stream().map(mask)
            .filter(Objects::nonNull).collect(Collectors.toList());
        assertEquals(String.join("\n", expected), String.join("\n", actual), "mqadmin " + String.join(" ", args));
    }

    /** {@code <broker>}, {@code <slave>}, {@code <offsetMsgId>}, {@code <msgId>} in an argument stand for this side's. */
    String[] substitute(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i].replace("<broker>", servers.brokerAddr()).replace("<slave>", servers.slaveAddr());
            if (consumer != null) {
                out[i] = out[i].replace("<consumerClientId>", consumer.buildMQClientId());
            }
            if (sent.size() > 3) {
                out[i] = out[i].replace("<offsetMsgId>", sent.get(3).getOffsetMsgId()).replace("<msgId>", sent.get(3).getMsgId());
            }
        }
        return out;
    }

    /** The scenario; run on both sides back to back, so their 60 s stats windows see the same events. */
    void runScenario() throws Exception {
        MqAdmin.Result created = run("updateTopic", "-b", servers.brokerAddr(), "-t", MqAdminParityTest.TOPIC, "-r", "4", "-w", "4");
        assertTrue(created.out.contains("success"), created.toString());
        Compat.awaitRoute(servers, MqAdminParityTest.TOPIC, 15_000);
        producer = Compat.producer(servers, MqAdminParityTest.PRODUCER_GROUP);
        for (int i = 0; i < MqAdminParityTest.MESSAGES; i++) {
            Message m = new Message(MqAdminParityTest.TOPIC, "TagP", "pk-" + i, ("parity-" + i).getBytes(StandardCharsets.UTF_8));
            SendResult r = producer.send(m, (mqs, msg, arg) -> mqs.get((Integer) arg % mqs.size()), i);
            assertEquals(SendStatus.SEND_OK, r.getSendStatus());
            sent.add(r);
        }
        consumer = new DefaultMQPushConsumer(MqAdminParityTest.GROUP);
        consumer.setNamesrvAddr(servers.nsAddr());
        consumer.setInstanceName(Compat.unique("consumer"));
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setPersistConsumerOffsetInterval(1000);
        consumer.subscribe(MqAdminParityTest.TOPIC, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            received.addAll(msgs);
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(servers.nsAddr());
        admin.setInstanceName(Compat.unique("admin"));
        admin.start();
    }

    MqAdmin.Result run(String... args) {
        return MqAdmin.run(servers.nsAddr(), args);
    }

    boolean settled() {
        try {
            long lag = 0;
            long consumed = 0;
            for (Map.Entry<org.apache.rocketmq.common.message.MessageQueue, org.apache.rocketmq.common.admin.OffsetWrapper> e
                : admin.examineConsumeStats(MqAdminParityTest.GROUP, MqAdminParityTest.TOPIC).getOffsetTable().entrySet()) {
                lag += e.getValue().getBrokerOffset() - e.getValue().getConsumerOffset();
                consumed += e.getValue().getConsumerOffset();
            }
            String broker = servers.brokerAddr();
            return received.size() >= MqAdminParityTest.MESSAGES && lag == 0 && consumed == MqAdminParityTest.MESSAGES
                && admin.viewBrokerStatsData(broker, "TOPIC_PUT_NUMS", MqAdminParityTest.TOPIC).getStatsMinute().getSum() == MqAdminParityTest.MESSAGES
                && admin.viewBrokerStatsData(broker, "GROUP_GET_NUMS", MqAdminParityTest.TOPIC + "@" + MqAdminParityTest.GROUP).getStatsMinute().getSum() == MqAdminParityTest.MESSAGES;
        } catch (Exception e) {
            return false;
        }
    }

    /** Output lines with this side's addresses, client ids, message ids and times masked. */
    List<String> normalized(MqAdmin.Result r) {
        List<String> lines = new ArrayList<>();
        for (String line : r.lines()) {
            String l = line.replace(servers.brokerAddr(), "<broker>").replace(servers.nsAddr(), "<ns>")
                .replace(servers.slavePort() > 0 ? servers.slaveAddr() : "\u0000", "<slave>")
                .replaceAll("\\d+\\.\\d+\\.\\d+\\.\\d+@[\\w-]+", "<clientId>")
                .replaceAll("127\\.0\\.0\\.1:\\d+", "<client>")
                .replaceAll("\\b[0-9A-F]{32}([0-9A-F]{24})?\\b", "<msgId>")
                .replaceAll("\\d{4}-\\d\\d-\\d\\d[ #]\\d\\d:\\d\\d:\\d\\d([,:]\\d{3})?", "<time>")
                .replaceAll("/\\S*/msgbodys/\\S+", "<bodyFile>")
                // epoch milliseconds: born/store timestamps, resetOffsetByTime's "now", consumerStatus' file names
                .replaceAll("\\b1\\d{12}\\b", "<ms>")
                // Java identity hash codes of objects printed without a toString (PlainAccessConfig@362a019c)
                .replaceAll("([A-Za-z])@[0-9a-f]{1,8}\\b", "$1@<hash>")
                // round-trip times of the probes
                .replaceAll("(rt:|RT: ?)\\s*[\\d.]+", "$1<rt>").replaceAll("(SEND_OK|true)(\\s+)[\\d.]+$", "$1$2<rt>")
                .replaceAll("\\s+", " ").trim();
            lines.add(l);
        }
        return lines;
    }

    void close() {
        for (Runnable stop : new Runnable[] {() -> consumer.shutdown(), () -> producer.shutdown(), () -> admin.shutdown(),
            servers::close}) {
            try {
                stop.run();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
    }
}


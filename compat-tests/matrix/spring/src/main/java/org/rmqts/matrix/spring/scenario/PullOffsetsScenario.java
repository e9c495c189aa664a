package org.rmqts.matrix.spring.scenario;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.spring.annotation.ExtRocketMQTemplateConfiguration;
import org.apache.rocketmq.spring.core.RocketMQTemplate;
import org.rmqts.matrix.pull.PullConsumerApp;
import org.rmqts.matrix.spring.Checks;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.rmqts.matrix.spring.TemplateScenario;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * pull_offsets through the starter's pull support: 20 sent to queue 0 (the template's
 * {@code MessageQueueSelector} set to queue 0, then {@code syncSendOrderly}); then {@link PullConsumerApp} is
 * started, its {@code rocketMQTemplate.receive(MessageExt.class, timeout)} (pull batch size 10) must give offsets
 * 0..9, the offset is committed ({@code getConsumer().commitSync()}) and the application closed (its consumer
 * persists the offset to the broker on shutdown); started again in the same group it must resume at 10.
 */
@Component
@OnScenario(PullOffsetsScenario.ID)
public class PullOffsetsScenario extends TemplateScenario {
    static final String ID = "pull_offsets";
    private static final long RECEIVE_LIMIT_MS = 15_000;

    @ExtRocketMQTemplateConfiguration(group = "${matrix.prefix}_" + ID + "_pg")
    @OnScenario(ID)
    public static class Template extends RocketMQTemplate {
        public Template() {
            setMessageQueueSelector((queues, message, arg) -> queues.stream().filter(q -> q.getQueueId() == 0)
                .findFirst().orElseThrow());
        }
    }

    private final String nameServer;

    public PullOffsetsScenario(Template template, Names names, @Value("${rocketmq.name-server}") String nameServer) {
        super(ID, names, template);
        this.nameServer = nameServer;
    }

    @Override
    public Outcome run() {
        for (int i = 0; i < 20; i++) {
            SendResult result = template.syncSendOrderly(topic(), body(i), "queue0");
            if (result.getSendStatus() != SendStatus.SEND_OK || result.getMessageQueue().getQueueId() != 0) {
                return Outcome.fail("send " + i + ": expected SEND_OK on queue 0, got " + result.getSendStatus()
                    + " on queue " + result.getMessageQueue().getQueueId());
            }
        }
        String group = topic() + "_cg";
        List<MessageExt> first;
        try (ConfigurableApplicationContext app = PullConsumerApp.start(nameServer, group, topic(), 10)) {
            RocketMQTemplate pull = app.getBean("rocketMQTemplate", RocketMQTemplate.class);
            first = receive(pull, 10);
            pull.getConsumer().commitSync();
        }
        String problem = check(first, 0);
        if (problem != null) {
            return Outcome.fail("first application: " + problem);
        }
        List<MessageExt> second;
        try (ConfigurableApplicationContext app = PullConsumerApp.start(nameServer, group, topic(), 10)) {
            second = receive(app.getBean("rocketMQTemplate", RocketMQTemplate.class), 10);
        }
        problem = check(second, 10);
        if (problem != null) {
            return Outcome.fail("first read 0..9 and committed 10; restarted application: " + problem);
        }
        return Outcome.pass("read offsets 0..9, committed 10; restarted in the same group read 10..19 in order");
    }

    /** Calls receive until {@code count} messages came or {@link #RECEIVE_LIMIT_MS} passed. */
    private static List<MessageExt> receive(RocketMQTemplate pull, int count) {
        List<MessageExt> received = new ArrayList<>();
        long deadline = System.currentTimeMillis() + RECEIVE_LIMIT_MS;
        while (received.size() < count && System.currentTimeMillis() < deadline) {
            received.addAll(pull.receive(MessageExt.class, Math.max(1, deadline - System.currentTimeMillis())));
        }
        return received;
    }

    /** Null when the messages are queue 0's offsets from..from+9 with their bodies, in order. */
    private String check(List<MessageExt> messages, int from) {
        List<String> expected = new ArrayList<>();
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add("0:" + (from + i) + "=" + (from + i));
        }
        for (MessageExt m : messages) {
            String body = new String(m.getBody(), StandardCharsets.UTF_8);
            got.add(m.getQueueId() + ":" + m.getQueueOffset() + "=" + body.substring(body.lastIndexOf('-') + 1));
        }
        if (got.equals(expected)) {
            return null;
        }
        if (got.isEmpty()) {
            return "rocketMQTemplate.receive gave no message within " + RECEIVE_LIMIT_MS / 1000
                + " s (expected queue 0 offsets " + from + ".." + (from + 9) + ")";
        }
        return "expected queue:offset=body " + from + ".." + (from + 9) + ", got " + got.size() + " "
            + Checks.shortList(got);
    }
}

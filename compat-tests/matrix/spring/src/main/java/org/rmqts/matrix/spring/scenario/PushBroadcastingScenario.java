package org.rmqts.matrix.spring.scenario;

import java.util.ArrayList;
import java.util.List;

import org.apache.rocketmq.spring.annotation.ExtRocketMQTemplateConfiguration;
import org.apache.rocketmq.spring.annotation.MessageModel;
import org.apache.rocketmq.spring.annotation.RocketMQMessageListener;
import org.apache.rocketmq.spring.core.RocketMQTemplate;
import org.rmqts.matrix.spring.Checks;
import org.rmqts.matrix.spring.Inbox;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.rmqts.matrix.spring.Scenario;
import org.springframework.stereotype.Component;

/** push_broadcasting: two BROADCASTING listeners of one group, started with the context; each receives all 10. */
@Component
@OnScenario(PushBroadcastingScenario.ID)
public class PushBroadcastingScenario implements Scenario {
    static final String ID = "push_broadcasting";

    @ExtRocketMQTemplateConfiguration(group = "${matrix.prefix}_" + ID + "_pg")
    @OnScenario(ID)
    public static class Template extends RocketMQTemplate {
    }

    @Component
    @OnScenario(ID)
    @RocketMQMessageListener(topic = "${matrix.prefix}_" + ID, consumerGroup = "${matrix.prefix}_" + ID + "_cg",
        messageModel = MessageModel.BROADCASTING)
    public static class ListenerA extends Inbox {
        @Override
        protected String instanceName() {
            return "matrix-" + ID + "-a";
        }
    }

    @Component
    @OnScenario(ID)
    @RocketMQMessageListener(topic = "${matrix.prefix}_" + ID, consumerGroup = "${matrix.prefix}_" + ID + "_cg",
        messageModel = MessageModel.BROADCASTING)
    public static class ListenerB extends Inbox {
        @Override
        protected String instanceName() {
            return "matrix-" + ID + "-b";
        }
    }

    private final Template template;
    private final ListenerA a;
    private final ListenerB b;
    private final Names names;

    public PushBroadcastingScenario(Template template, ListenerA a, ListenerB b, Names names) {
        this.template = template;
        this.a = a;
        this.b = b;
        this.names = names;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Outcome run() throws InterruptedException {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(names.body(ID, i));
            template.syncSend(names.topic(ID), names.body(ID, i));
        }
        a.await(10, 30_000);
        b.await(10, 30_000);
        Thread.sleep(Inbox.LINGER_MS);
        String problemA = Checks.exactlyOnce(expected, a.snapshot());
        String problemB = Checks.exactlyOnce(expected, b.snapshot());
        if (problemA != null || problemB != null) {
            return Outcome.fail("expected each consumer to receive all 10: A "
                + (problemA == null ? "ok" : problemA) + "; B " + (problemB == null ? "ok" : problemB));
        }
        return Outcome.pass("A 10/10, B 10/10");
    }
}

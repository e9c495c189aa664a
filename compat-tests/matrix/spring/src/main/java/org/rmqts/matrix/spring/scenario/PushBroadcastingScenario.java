package org.rmqts.matrix.spring.scenario;

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
import org.rmqts.matrix.spring.TemplateScenario;
import org.springframework.stereotype.Component;

/** push_broadcasting: two BROADCASTING listeners of one group, started with the context; each receives all 10. */
@Component
@OnScenario(PushBroadcastingScenario.ID)
public class PushBroadcastingScenario extends TemplateScenario {
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
        public ListenerA() {
            super("matrix-" + ID + "-a");
        }
    }

    @Component
    @OnScenario(ID)
    @RocketMQMessageListener(topic = "${matrix.prefix}_" + ID, consumerGroup = "${matrix.prefix}_" + ID + "_cg",
        messageModel = MessageModel.BROADCASTING)
    public static class ListenerB extends Inbox {
        public ListenerB() {
            super("matrix-" + ID + "-b");
        }
    }

    private final Inbox a;
    private final Inbox b;

    public PushBroadcastingScenario(Template template, ListenerA a, ListenerB b, Names names) {
        super(ID, names, template);
        this.a = a;
        this.b = b;
    }

    @Override
    public Outcome run() throws InterruptedException {
        List<String> bodies = bodies(10);
        bodies.forEach(body -> template.syncSend(topic(), body));
        a.await(10, Inbox.RECEIVE_LIMIT_MS);
        b.await(10, Inbox.RECEIVE_LIMIT_MS);
        Thread.sleep(Inbox.LINGER_MS);
        String problemA = Checks.exactlyOnce(bodies, a.snapshot());
        String problemB = Checks.exactlyOnce(bodies, b.snapshot());
        if (problemA != null || problemB != null) {
            return Outcome.fail("expected each consumer to receive all 10: A "
                + (problemA == null ? "ok" : problemA) + "; B " + (problemB == null ? "ok" : problemB));
        }
        return Outcome.pass("A 10/10, B 10/10");
    }
}

package org.rmqts.matrix.spring.scenario;

import java.util.ArrayList;
import java.util.List;

import org.apache.rocketmq.spring.annotation.ExtRocketMQTemplateConfiguration;
import org.apache.rocketmq.spring.annotation.MessageModel;
import org.apache.rocketmq.spring.annotation.RocketMQMessageListener;
import org.apache.rocketmq.spring.core.RocketMQTemplate;
import org.rmqts.matrix.spring.Checks;
import org.rmqts.matrix.spring.Delivery;
import org.rmqts.matrix.spring.Inbox;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.rmqts.matrix.spring.TemplateScenario;
import org.springframework.stereotype.Component;

/**
 * push_clustering: two listeners of one group (CLUSTERING, the default); once their rebalance has split the 4
 * queues between them, 20 are sent and each must arrive exactly once.
 */
@Component
@OnScenario(PushClusteringScenario.ID)
public class PushClusteringScenario extends TemplateScenario {
    static final String ID = "push_clustering";

    @ExtRocketMQTemplateConfiguration(group = "${matrix.prefix}_" + ID + "_pg")
    @OnScenario(ID)
    public static class Template extends RocketMQTemplate {
    }

    @Component
    @OnScenario(ID)
    @RocketMQMessageListener(topic = "${matrix.prefix}_" + ID, consumerGroup = "${matrix.prefix}_" + ID + "_cg",
        messageModel = MessageModel.CLUSTERING)
    public static class ListenerA extends Inbox {
        public ListenerA() {
            super("matrix-" + ID + "-a");
        }
    }

    @Component
    @OnScenario(ID)
    @RocketMQMessageListener(topic = "${matrix.prefix}_" + ID, consumerGroup = "${matrix.prefix}_" + ID + "_cg",
        messageModel = MessageModel.CLUSTERING)
    public static class ListenerB extends Inbox {
        public ListenerB() {
            super("matrix-" + ID + "-b");
        }
    }

    private final Inbox a;
    private final Inbox b;

    public PushClusteringScenario(Template template, ListenerA a, ListenerB b, Names names) {
        super(ID, names, template);
        this.a = a;
        this.b = b;
    }

    /** Both consumers hold queues of the topic, and together exactly its 4. */
    private boolean splitBetweenBoth(String topic) {
        int heldByA = a.assignedQueueCount(topic);
        int heldByB = b.assignedQueueCount(topic);
        return heldByA > 0 && heldByB > 0 && heldByA + heldByB == 4;
    }

    @Override
    public Outcome run() throws InterruptedException {
        String topic = topic();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!splitBetweenBoth(topic)) {
            if (System.currentTimeMillis() > deadline) {
                return Outcome.fail("rebalance did not split the 4 queues within 30 s: consumer A holds "
                    + a.assignedQueueCount(topic) + ", B holds " + b.assignedQueueCount(topic));
            }
            Thread.sleep(100);
        }
        List<String> bodies = bodies(20);
        bodies.forEach(body -> template.syncSend(topic, body));
        long waitDeadline = System.currentTimeMillis() + Inbox.RECEIVE_LIMIT_MS;
        while (a.snapshot().size() + b.snapshot().size() < 20 && System.currentTimeMillis() < waitDeadline) {
            Thread.sleep(50);
        }
        Thread.sleep(Inbox.LINGER_MS);
        List<Delivery> byA = a.snapshot();
        List<Delivery> byB = b.snapshot();
        List<Delivery> all = new ArrayList<>(byA);
        all.addAll(byB);
        String split = "A=" + byA.size() + " B=" + byB.size();
        return Outcome.passUnless("20/20 received once, " + split,
            "expected 20 bodies each by exactly one consumer (" + split + ")", Checks.exactlyOnce(bodies, all));
    }
}

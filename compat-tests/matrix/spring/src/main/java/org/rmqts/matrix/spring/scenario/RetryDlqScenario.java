package org.rmqts.matrix.spring.scenario;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.spring.annotation.ExtRocketMQTemplateConfiguration;
import org.apache.rocketmq.spring.annotation.RocketMQMessageListener;
import org.apache.rocketmq.spring.core.RocketMQTemplate;
import org.rmqts.matrix.spring.Delivery;
import org.rmqts.matrix.spring.Inbox;
import org.rmqts.matrix.spring.ListenerScenario;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.springframework.stereotype.Component;

/**
 * retry_dlq: a listener with {@code maxReconsumeTimes = 1} throws on every delivery (the starter's container then
 * answers RECONSUME_LATER); the message must come with reconsumeTimes 0, then 1, then not again within 5 s.
 */
@Component
@OnScenario(RetryDlqScenario.ID)
public class RetryDlqScenario extends ListenerScenario {
    static final String ID = "retry_dlq";

    @ExtRocketMQTemplateConfiguration(group = "${matrix.prefix}_" + ID + "_pg")
    @OnScenario(ID)
    public static class Template extends RocketMQTemplate {
    }

    @Component
    @OnScenario(ID)
    @RocketMQMessageListener(topic = "${matrix.prefix}_" + ID, consumerGroup = "${matrix.prefix}_" + ID + "_cg",
        maxReconsumeTimes = 1)
    public static class Listener extends Inbox {
        @Override
        public void onMessage(MessageExt message) {
            record(message);
            throw new IllegalStateException("matrix retry_dlq: this listener always fails");
        }
    }

    public RetryDlqScenario(Template template, Listener listener, Names names) {
        super(ID, names, template, listener);
    }

    @Override
    public Outcome run() throws InterruptedException {
        template.syncSend(topic(), body(0));
        List<Delivery> twice = inbox.await(2, 45_000);
        if (twice.size() < 2) {
            return Outcome.fail("expected 2 deliveries within 45 s, got reconsumeTimes " + reconsumeTimes(twice));
        }
        Thread.sleep(5000);
        List<Delivery> all = inbox.snapshot();
        List<Integer> times = reconsumeTimes(all);
        if (!times.equals(List.of(0, 1))) {
            return Outcome.fail("expected deliveries with reconsumeTimes [0, 1] and no third within 5 s, got " + times);
        }
        long gapMs = all.get(1).receivedAtMs() - all.get(0).receivedAtMs();
        return Outcome.pass("delivered with reconsumeTimes [0, 1] (" + gapMs + " ms apart), no third within 5 s");
    }

    private static List<Integer> reconsumeTimes(List<Delivery> deliveries) {
        return deliveries.stream().map(Delivery::reconsumeTimes).collect(Collectors.toList());
    }
}

package org.rmqts.matrix.spring.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.rocketmq.spring.annotation.ConsumeMode;
import org.apache.rocketmq.spring.annotation.ExtRocketMQTemplateConfiguration;
import org.apache.rocketmq.spring.annotation.RocketMQMessageListener;
import org.apache.rocketmq.spring.core.RocketMQTemplate;
import org.apache.rocketmq.spring.support.RocketMQHeaders;
import org.rmqts.matrix.spring.Delivery;
import org.rmqts.matrix.spring.Inbox;
import org.rmqts.matrix.spring.ListenerScenario;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

/**
 * order: {@code RocketMQTemplate.syncSendOrderly(destination, message, hashKey)} with keys k0, k1, k2 (the
 * template's default selector picks the queue by the key's hash), 10 each with body {@code <key>-<seq>}; an ORDERLY
 * listener must see every key's seq 0..9 in order.
 */
@Component
@OnScenario(OrderScenario.ID)
public class OrderScenario extends ListenerScenario {
    static final String ID = "order";
    private static final String[] KEYS = {"k0", "k1", "k2"};

    @ExtRocketMQTemplateConfiguration(group = "${matrix.prefix}_" + ID + "_pg")
    @OnScenario(ID)
    public static class Template extends RocketMQTemplate {
    }

    @Component
    @OnScenario(ID)
    @RocketMQMessageListener(topic = "${matrix.prefix}_" + ID, consumerGroup = "${matrix.prefix}_" + ID + "_cg",
        consumeMode = ConsumeMode.ORDERLY)
    public static class Listener extends Inbox {
    }

    public OrderScenario(Template template, Listener listener, Names names) {
        super(ID, names, template, listener);
    }

    @Override
    public Outcome run() throws InterruptedException {
        for (int seq = 0; seq < 10; seq++) {
            for (String key : KEYS) {
                template.syncSendOrderly(topic(),
                    MessageBuilder.withPayload(key + "-" + seq).setHeader(RocketMQHeaders.KEYS, key).build(), key);
            }
        }
        List<Delivery> received = inbox.awaitAndLinger(30, 40_000);
        Map<String, List<Integer>> seqsByKey = new LinkedHashMap<>();
        List<String> foreign = new ArrayList<>();
        for (Delivery d : received) {
            String[] parts = d.body().split("-");
            if (parts.length != 2 || !List.of(KEYS).contains(parts[0])) {
                foreign.add(d.body());
                continue;
            }
            seqsByKey.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        List<Integer> inOrder = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        List<String> problems = new ArrayList<>();
        for (String key : KEYS) {
            List<Integer> seqs = seqsByKey.getOrDefault(key, List.of());
            if (!seqs.equals(inOrder)) {
                problems.add(key + " got " + seqs);
            }
        }
        if (!foreign.isEmpty()) {
            problems.add("unexpected bodies " + foreign);
        }
        if (!problems.isEmpty()) {
            return Outcome.fail("expected per key seq 0..9 in order (" + received.size() + " received): "
                + String.join("; ", problems));
        }
        return Outcome.pass("30/30 received, per key seq 0..9 in order");
    }
}

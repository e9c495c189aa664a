package org.rmqts.matrix.spring.scenario;

import java.util.ArrayList;
import java.util.List;

import org.apache.rocketmq.spring.annotation.ExtRocketMQTemplateConfiguration;
import org.apache.rocketmq.spring.annotation.RocketMQMessageListener;
import org.apache.rocketmq.spring.annotation.SelectorType;
import org.apache.rocketmq.spring.core.RocketMQTemplate;
import org.rmqts.matrix.spring.Checks;
import org.rmqts.matrix.spring.Delivery;
import org.rmqts.matrix.spring.Inbox;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.rmqts.matrix.spring.Scenario;
import org.springframework.stereotype.Component;

/** filter_tag: 30 sends to "topic:TagX" (A, B, C in turn); a listener with selector "TagA || TagB" gets the 20. */
@Component
@OnScenario(FilterTagScenario.ID)
public class FilterTagScenario implements Scenario {
    static final String ID = "filter_tag";
    private static final String[] TAGS = {"TagA", "TagB", "TagC"};

    @ExtRocketMQTemplateConfiguration(group = "${matrix.prefix}_" + ID + "_pg")
    @OnScenario(ID)
    public static class Template extends RocketMQTemplate {
    }

    @Component
    @OnScenario(ID)
    @RocketMQMessageListener(topic = "${matrix.prefix}_" + ID, consumerGroup = "${matrix.prefix}_" + ID + "_cg",
        selectorType = SelectorType.TAG, selectorExpression = "TagA || TagB")
    public static class Listener extends Inbox {
    }

    private final Template template;
    private final Listener listener;
    private final Names names;

    public FilterTagScenario(Template template, Listener listener, Names names) {
        this.template = template;
        this.listener = listener;
        this.names = names;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Outcome run() throws InterruptedException {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String tag = TAGS[i % 3];
            if (!tag.equals("TagC")) {
                expected.add(names.body(ID, i));
            }
            template.syncSend(names.topic(ID) + ":" + tag, names.body(ID, i));
        }
        List<Delivery> received = listener.awaitAndLinger(20, 30_000);
        String problem = Checks.exactlyOnce(expected, received);
        List<String> wrongTags = new ArrayList<>();
        for (Delivery d : received) {
            String expectedTag = expectedTag(d.body());
            if (expectedTag != null && !expectedTag.equals(d.tags())) {
                wrongTags.add(d.body().substring(names.prefix().length()) + " tag=" + Checks.visible(d.tags()));
            }
        }
        if (problem != null || !wrongTags.isEmpty()) {
            return Outcome.fail("expected the 20 TagA/TagB bodies once each, tags intact: "
                + (problem == null ? "" : problem + "; ") + (wrongTags.isEmpty() ? ""
                : wrongTags.size() + " with wrong tag " + Checks.shortList(wrongTags)));
        }
        return Outcome.pass("20/20 TagA/TagB received, tags intact, no TagC");
    }

    private String expectedTag(String body) {
        String head = names.topic(ID) + "-";
        if (!body.startsWith(head)) {
            return null;
        }
        try {
            return TAGS[Integer.parseInt(body.substring(head.length())) % 3];
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

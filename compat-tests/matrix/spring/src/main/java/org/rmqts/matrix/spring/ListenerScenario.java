package org.rmqts.matrix.spring;

import java.util.List;
import java.util.function.Function;

import org.apache.rocketmq.spring.core.RocketMQTemplate;

/**
 * A {@link TemplateScenario} with one {@code @RocketMQMessageListener}: what it sends is awaited in the listener's
 * {@link Inbox}, most often with {@link #expectEachOnce}.
 */
public abstract class ListenerScenario extends TemplateScenario {
    protected final Inbox inbox;

    protected ListenerScenario(String id, Names names, RocketMQTemplate template, Inbox inbox) {
        super(id, names, template);
        this.inbox = inbox;
    }

    /** {@link #expectEachOnce(List, Function, String, String)} with nothing more to check. */
    protected final Outcome expectEachOnce(List<String> expected, String expectation, String passDetail)
        throws InterruptedException {
        return expectEachOnce(expected, received -> null, expectation, passDetail);
    }

    /**
     * Waits until the inbox holds as many deliveries as bodies are expected (at most
     * {@link Inbox#RECEIVE_LIMIT_MS}) and lingers; passes with {@code passDetail} when every expected body came
     * exactly once, nothing else came and {@code alsoCheck} (a problem, or null) finds nothing wrong with what came;
     * otherwise fails with "{@code expectation}: the problems".
     */
    protected final Outcome expectEachOnce(List<String> expected, Function<List<Delivery>, String> alsoCheck,
                                           String expectation, String passDetail) throws InterruptedException {
        List<Delivery> received = inbox.awaitAndLinger(expected.size(), Inbox.RECEIVE_LIMIT_MS);
        return Outcome.passUnless(passDetail, expectation, Checks.exactlyOnce(expected, received),
            alsoCheck.apply(received));
    }
}

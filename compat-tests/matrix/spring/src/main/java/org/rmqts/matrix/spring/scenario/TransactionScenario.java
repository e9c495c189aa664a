package org.rmqts.matrix.spring.scenario;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.client.producer.TransactionSendResult;
import org.apache.rocketmq.spring.annotation.ExtRocketMQTemplateConfiguration;
import org.apache.rocketmq.spring.annotation.RocketMQMessageListener;
import org.apache.rocketmq.spring.annotation.RocketMQTransactionListener;
import org.apache.rocketmq.spring.core.RocketMQLocalTransactionListener;
import org.apache.rocketmq.spring.core.RocketMQLocalTransactionState;
import org.apache.rocketmq.spring.core.RocketMQTemplate;
import org.rmqts.matrix.spring.Delivery;
import org.rmqts.matrix.spring.Inbox;
import org.rmqts.matrix.spring.ListenerScenario;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

/**
 * transaction: {@code RocketMQTemplate.sendMessageInTransaction} with a {@code @RocketMQTransactionListener}
 * bound to this scenario's template. Bodies {@code commit}, {@code rollback}, {@code unknown}; the broker's
 * check-back for {@code unknown} answers COMMIT.
 */
@Component
@OnScenario(TransactionScenario.ID)
public class TransactionScenario extends ListenerScenario {
    static final String ID = "transaction";
    /** The bean name Spring gives the nested template class below. */
    static final String TEMPLATE_BEAN = "transactionScenario.Template";

    @ExtRocketMQTemplateConfiguration(group = "${matrix.prefix}_" + ID + "_pg")
    @OnScenario(ID)
    public static class Template extends RocketMQTemplate {
    }

    @OnScenario(ID)
    @RocketMQTransactionListener(rocketMQTemplateBeanName = TEMPLATE_BEAN)
    public static class LocalTransactions implements RocketMQLocalTransactionListener {
        final Set<String> checked = ConcurrentHashMap.newKeySet();

        @Override
        public RocketMQLocalTransactionState executeLocalTransaction(Message msg, Object arg) {
            return switch (body(msg)) {
                case "commit" -> RocketMQLocalTransactionState.COMMIT;
                case "rollback" -> RocketMQLocalTransactionState.ROLLBACK;
                default -> RocketMQLocalTransactionState.UNKNOWN;
            };
        }

        @Override
        public RocketMQLocalTransactionState checkLocalTransaction(Message msg) {
            checked.add(body(msg));
            return RocketMQLocalTransactionState.COMMIT;
        }

        private static String body(Message msg) {
            Object payload = msg.getPayload();
            return payload instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(payload);
        }
    }

    @Component
    @OnScenario(ID)
    @RocketMQMessageListener(topic = "${matrix.prefix}_" + ID, consumerGroup = "${matrix.prefix}_" + ID + "_cg")
    public static class Listener extends Inbox {
    }

    private final LocalTransactions transactions;

    public TransactionScenario(Template template, LocalTransactions transactions, Listener listener, Names names) {
        super(ID, names, template, listener);
        this.transactions = transactions;
    }

    @Override
    public Outcome run() throws InterruptedException {
        List<String> sendProblems = new ArrayList<>();
        for (String body : List.of("commit", "rollback", "unknown")) {
            TransactionSendResult result = template.sendMessageInTransaction(topic(),
                MessageBuilder.withPayload(body).build(), null);
            LocalTransactionState expected = switch (body) {
                case "commit" -> LocalTransactionState.COMMIT_MESSAGE;
                case "rollback" -> LocalTransactionState.ROLLBACK_MESSAGE;
                default -> LocalTransactionState.UNKNOW;
            };
            if (result.getSendStatus() != SendStatus.SEND_OK || result.getLocalTransactionState() != expected) {
                sendProblems.add(body + ": " + result.getSendStatus() + "/" + result.getLocalTransactionState());
            }
        }
        if (!sendProblems.isEmpty()) {
            return Outcome.fail("expected SEND_OK with the local state: " + sendProblems);
        }
        inbox.awaitMatching(d -> d.body().equals("commit") || d.body().equals("unknown"), 2, 45_000);
        Thread.sleep(Inbox.LINGER_MS);
        List<String> bodies = inbox.snapshot().stream().map(Delivery::body).toList();
        boolean checkedUnknown = transactions.checked.contains("unknown");
        if (!bodies.contains("commit") || !bodies.contains("unknown") || bodies.contains("rollback")
            || bodies.size() != 2 || !checkedUnknown) {
            return Outcome.fail("expected commit and unknown once each, never rollback, and a check-back for unknown;"
                + " received " + bodies + ", check-backs " + transactions.checked);
        }
        return Outcome.pass("received commit and unknown (check-back seen), not rollback");
    }
}

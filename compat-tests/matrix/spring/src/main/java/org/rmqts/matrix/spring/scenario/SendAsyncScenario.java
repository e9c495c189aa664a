package org.rmqts.matrix.spring.scenario;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.spring.annotation.ExtRocketMQTemplateConfiguration;
import org.apache.rocketmq.spring.core.RocketMQTemplate;
import org.rmqts.matrix.spring.MatrixApp;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.rmqts.matrix.spring.TemplateScenario;
import org.springframework.stereotype.Component;

/** send_async: 10 × {@code RocketMQTemplate.asyncSend} with a callback. */
@Component
@OnScenario(SendAsyncScenario.ID)
public class SendAsyncScenario extends TemplateScenario {
    static final String ID = "send_async";

    @ExtRocketMQTemplateConfiguration(group = "${matrix.prefix}_" + ID + "_pg")
    @OnScenario(ID)
    public static class Template extends RocketMQTemplate {
    }

    public SendAsyncScenario(Template template, Names names) {
        super(ID, names, template);
    }

    @Override
    public Outcome run() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(10);
        List<String> successes = new CopyOnWriteArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        long t0 = System.currentTimeMillis();
        for (int i = 0; i < 10; i++) {
            template.asyncSend(topic(), body(i), new SendCallback() {
                @Override
                public void onSuccess(SendResult result) {
                    if (result.getSendStatus() == SendStatus.SEND_OK) {
                        successes.add(result.getMsgId());
                    } else {
                        failures.add(String.valueOf(result.getSendStatus()));
                    }
                    done.countDown();
                }

                @Override
                public void onException(Throwable e) {
                    failures.add(MatrixApp.describe(e));
                    done.countDown();
                }
            });
        }
        boolean allCalledBack = done.await(10, TimeUnit.SECONDS);
        long ms = System.currentTimeMillis() - t0;
        if (!failures.isEmpty()) {
            return Outcome.fail(successes.size() + " successes, " + failures.size() + " failures: " + failures.get(0));
        }
        if (!allCalledBack || successes.size() != 10) {
            return Outcome.fail("expected 10 success callbacks within 10 s, got " + successes.size());
        }
        return Outcome.pass("10/10 success callbacks, 0 exceptions, in " + ms + " ms");
    }
}

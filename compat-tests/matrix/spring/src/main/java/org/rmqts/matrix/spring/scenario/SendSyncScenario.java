package org.rmqts.matrix.spring.scenario;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.spring.annotation.ExtRocketMQTemplateConfiguration;
import org.apache.rocketmq.spring.core.RocketMQTemplate;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.rmqts.matrix.spring.TemplateScenario;
import org.springframework.stereotype.Component;

/** send_sync: 10 × {@code RocketMQTemplate.syncSend}. */
@Component
@OnScenario(SendSyncScenario.ID)
public class SendSyncScenario extends TemplateScenario {
    static final String ID = "send_sync";

    @ExtRocketMQTemplateConfiguration(group = "${matrix.prefix}_" + ID + "_pg")
    @OnScenario(ID)
    public static class Template extends RocketMQTemplate {
    }

    public SendSyncScenario(Template template, Names names) {
        super(ID, names, template);
    }

    @Override
    public Outcome run() {
        Set<String> msgIds = new HashSet<>();
        Map<Integer, Set<Long>> offsetsByQueue = new HashMap<>();
        int ok = 0;
        for (int i = 0; i < 10; i++) {
            SendResult result = template.syncSend(topic(), body(i));
            if (result.getSendStatus() != SendStatus.SEND_OK) {
                return Outcome.fail("send " + i + ": expected SEND_OK, got " + result.getSendStatus());
            }
            ok++;
            msgIds.add(result.getMsgId());
            int queueId = result.getMessageQueue().getQueueId();
            if (!offsetsByQueue.computeIfAbsent(queueId, q -> new HashSet<>()).add(result.getQueueOffset())) {
                return Outcome.fail("queue " + queueId + " offset " + result.getQueueOffset() + " given twice");
            }
        }
        if (msgIds.size() != 10) {
            return Outcome.fail("expected 10 distinct message ids, got " + msgIds.size());
        }
        return Outcome.pass(ok + "/10 SEND_OK, 10 distinct ids, offsets distinct per queue " + offsetsByQueue);
    }
}

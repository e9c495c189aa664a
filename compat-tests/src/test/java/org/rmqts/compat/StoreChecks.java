package org.rmqts.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/** Reading a whole topic back through the official client, for the store scenarios. */
final class StoreChecks {
    private StoreChecks() {
    }

    /** Waits until the NameServer routes {@code topic} to the broker of {@code p} (raw GET_ROUTEINFO_BY_TOPIC). */
    static void awaitRoute(StoreProcesses p, String topic, long timeoutMs) {
        String[] last = {"no answer yet"};
        Compat.await("a route for topic " + topic + " on the NameServer", timeoutMs, () -> {
            try (Raw raw = Raw.connect(p.nsPort())) {
                Raw.Cmd r = raw.call(105, Collections.singletonMap("topic", topic), null, 3000);
                last[0] = r.toString();
                return r.code == 0 && r.body != null
                    && new String(r.body, StandardCharsets.UTF_8).contains(p.brokerAddr());
            } catch (IOException e) {
                last[0] = e.toString();
                return false;
            }
        }, () -> last[0]);
    }

    /**
     * Every record of queues 0..queues-1, by queue id, in queue-offset order (list index = queue offset, so the
     * queues must start at offset 0). Each pulled record must carry the queue id and offset of the consume-queue
     * unit it was found by, and offsets must follow each other without gaps; otherwise a line goes to
     * {@code problems}.
     */
    static Map<Integer, List<MessageExt>> readAllQueues(StoreProcesses p, String topic, int queues,
        List<String> problems) throws Exception {
        DefaultMQPullConsumer c = new DefaultMQPullConsumer(Compat.unique("cg_readback"));
        c.setNamesrvAddr(p.nsAddr());
        c.setInstanceName(Compat.unique("readback"));
        c.start();
        Map<Integer, List<MessageExt>> result = new TreeMap<>();
        try {
            for (int q = 0; q < queues; q++) {
                MessageQueue mq = new MessageQueue(topic, "broker-a", q);
                long min = c.minOffset(mq);
                long max = c.maxOffset(mq);
                if (min != 0) {
                    problems.add("queue " + q + " starts at " + min);
                }
                List<MessageExt> list = new ArrayList<>();
                long offset = min;
                for (int pulls = 0; offset < max && pulls < 1_000_000; pulls++) {
                    PullResult r = c.pull(mq, "*", offset, 32);
                    if (r.getPullStatus() != PullStatus.FOUND) {
                        problems.add("queue " + q + " offset " + offset + " of " + max + ": " + r.getPullStatus());
                        break;
                    }
                    for (MessageExt m : r.getMsgFoundList()) {
                        if (m.getQueueOffset() != offset || m.getQueueId() != q) {
                            problems.add("unit " + q + ":" + offset + " points at a record of " + m.getQueueId() + ":"
                                + m.getQueueOffset());
                        }
                        list.add(m);
                        offset++;
                    }
                    if (r.getNextBeginOffset() != offset) {
                        problems.add("queue " + q + ": nextBeginOffset " + r.getNextBeginOffset() + " after " + offset);
                        offset = r.getNextBeginOffset();
                    }
                }
                result.put(q, list);
            }
        } finally {
            c.shutdown();
        }
        return result;
    }
}

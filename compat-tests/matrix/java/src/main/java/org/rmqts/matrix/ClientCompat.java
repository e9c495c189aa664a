package org.rmqts.matrix;

import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * The few client APIs whose types moved between versions, reached by reflection so one source tree compiles
 * against every client: MessageModel left org.apache.rocketmq.common.protocol.heartbeat in 5.0.
 */
final class ClientCompat {
    private ClientCompat() {
    }

    /** consumer.setMessageModel(MessageModel.valueOf(model)), whatever package MessageModel lives in. */
    static void setMessageModel(DefaultMQPushConsumer consumer, String model) throws ReflectiveOperationException {
        for (Method method : consumer.getClass().getMethods()) {
            if (method.getName().equals("setMessageModel") && method.getParameterCount() == 1) {
                Class<?> type = method.getParameterTypes()[0];
                method.invoke(consumer, enumConstant(type, model));
                return;
            }
        }
        throw new NoSuchMethodException("DefaultMQPushConsumer.setMessageModel");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object enumConstant(Class<?> type, String name) {
        return Enum.valueOf((Class<? extends Enum>) type, name);
    }

    /** The queues of the topic the push consumer's rebalance has taken (not its %RETRY% queue). */
    static Set<MessageQueue> assignedQueues(DefaultMQPushConsumer consumer, String topic) {
        Map<MessageQueue, ?> table = consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl()
            .getProcessQueueTable();
        Set<MessageQueue> queues = new HashSet<>();
        for (MessageQueue queue : table.keySet()) {
            if (queue.getTopic().equals(topic)) {
                queues.add(queue);
            }
        }
        return queues;
    }

    /** True when the client has the class (e.g. DefaultLitePullConsumer, new in 4.6). */
    static boolean hasClass(String name) {
        try {
            Class.forName(name, false, ClientCompat.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}

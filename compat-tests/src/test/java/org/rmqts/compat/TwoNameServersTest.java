package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our NameServer and a Java 4.7.1 NameServer, our broker (then the Java broker, the oracle) with both in {@code namesrvAddr} and
 * {@code registerNameServerPeriod=5000}: the broker registers with both; clients given both keep sending and
 * consuming while our NameServer is SIGKILLed; restarted, it relearns the broker within one registration period,
 * which is 10 s (Java 4.7.1's {@code BrokerController} bounds the period to 10000..60000), not the 5 s configured.
 */
class TwoNameServersTest {
    private static final long REGISTER_PERIOD_MS = 10_000;
    /** The servers of the running case. */
    private static Servers servers;

    /** Our broker, and the Java 4.7.1 broker as the oracle (same registrations, same 10 s period). */
    @ParameterizedTest(name = "broker {0}")
    @ValueSource(strings = {"TS", "JAVA"})
    void clientsSurviveANameServerKillAndItRelearnsTheBroker(String brokerTarget) throws Exception {
        try (Servers s = Servers.startTwoNameServers(TwoNameServersTest.class, Servers.Target.TS, Servers.Target.JAVA,
            Servers.Target.valueOf(brokerTarget), Map.of("registerNameServerPeriod", "5000"))) {
            servers = s;
            run();
        } finally {
            servers = null;
        }
    }

    private static void run() throws Exception {
        assertTrue(listsBroker(servers.nsPort()), "our NameServer lists the broker");
        Compat.await("the Java NameServer to list the broker", 15_000, () -> listsBroker(servers.ns2Port()), null);

        DefaultMQAdminExt admin = Consumption.admin(servers);
        DefaultMQProducer producer = Compat.producer(servers, Compat.unique("pg_2ns"));
        List<MessageExt> sink = Compat.syncList();
        String topic = Compat.unique("two_ns");
        String group = Compat.unique("cg_2ns");
        DefaultMQPushConsumer consumer = null;
        AtomicBoolean sending = new AtomicBoolean(true);
        Set<String> acked = Collections.synchronizedSet(new TreeSet<>());
        AtomicInteger failed = new AtomicInteger();
        Thread sender = null;
        try {
            Consumption.createTopic(servers, admin, topic, 4);
            Compat.await("a route on the Java NameServer", 15_000, () -> routeNamesBroker(servers.ns2Port(), topic), null);
            consumer = Compat.pushConsumer(servers, group, topic, "*", ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, sink);
            sender = new Thread(() -> {
                for (int i = 0; i < 2000 && sending.get(); i++) {
                    try {
                        SendResult r = producer.send(new Message(topic, ("s-" + i).getBytes(StandardCharsets.UTF_8)));
                        if (r.getSendStatus() == SendStatus.SEND_OK) {
                            acked.add("s-" + i);
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                    Servers.sleep(20);
                }
            }, "two-ns-sender");
            sender.start();
            Compat.await("some sends before the kill", 10_000, () -> acked.size() >= 20, () -> acked.size() + " acked");

            servers.killNameServer(1);
            int ackedAtKill = acked.size();
            // a fresh client must fetch its routes now: given both addresses, it finds the live one
            DefaultMQProducer late = Compat.producer(servers, Compat.unique("pg_2ns_late"));
            try {
                for (int i = 0; i < 10; i++) {
                    SendResult r = late.send(new Message(topic, ("late-" + i).getBytes(StandardCharsets.UTF_8)));
                    assertEquals(SendStatus.SEND_OK, r.getSendStatus(), r.toString());
                    acked.add("late-" + i);
                }
            } finally {
                late.shutdown();
            }
            Compat.await("sends to go on after the kill", 10_000, () -> acked.size() >= ackedAtKill + 30,
                () -> acked.size() + " acked");

            // restart: the broker's next registration (at most one period away) teaches it the cluster again
            long restartedAt = System.currentTimeMillis();
            servers.restartNameServer1();
            Compat.await("the restarted NameServer to list the broker", REGISTER_PERIOD_MS + 5_000,
                () -> listsBroker(servers.nsPort()), null);
            long firstSeenAt = System.currentTimeMillis();
            System.out.println("restarted NameServer relearned the broker after " + (firstSeenAt - restartedAt) + " ms");

            // the period is Java's bound, 10 s: restarted right after a registration, it waits ~10 s for the next
            servers.killNameServer(1);
            servers.restartNameServer1();
            Compat.await("the NameServer restarted again to list the broker", REGISTER_PERIOD_MS + 5_000,
                () -> listsBroker(servers.nsPort()), null);
            long gapMs = System.currentTimeMillis() - firstSeenAt;
            System.out.println("registrations " + gapMs + " ms apart");
            assertTrue(gapMs >= REGISTER_PERIOD_MS - 1_500 && gapMs <= REGISTER_PERIOD_MS + 2_000,
                "two registrations " + gapMs + " ms apart; registerNameServerPeriod=5000 must run every 10 s");
            assertTrue(routeNamesBroker(servers.nsPort(), topic), "route of " + topic + " on the restarted NameServer");

            sending.set(false);
            sender.join(15_000);
            assertEquals(0, failed.get(), "sends that failed while a NameServer was down");
            Consumption.awaitBodies("every acknowledged message consumed", 30_000, sink, new TreeSet<>(acked));
        } finally {
            sending.set(false);
            if (sender != null) {
                sender.join(15_000);
            }
            if (consumer != null) {
                consumer.shutdown();
            }
            producer.shutdown();
            admin.shutdown();
        }
    }

    private static boolean listsBroker(int nsPort) {
        try (Raw raw = Raw.connect(nsPort)) {
            Raw.Cmd r = raw.call(106 /* GET_BROKER_CLUSTER_INFO */, null, null, 3000);
            return r.code == 0 && r.body != null
                && new String(r.body, StandardCharsets.UTF_8).contains(servers.brokerAddr());
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean routeNamesBroker(int nsPort, String topic) {
        try (Raw raw = Raw.connect(nsPort)) {
            Raw.Cmd r = raw.call(105, Collections.singletonMap("topic", topic), null, 3000);
            return r.code == 0 && r.body != null && new String(r.body, StandardCharsets.UTF_8).contains(servers.brokerAddr());
        } catch (IOException e) {
            return false;
        }
    }
}

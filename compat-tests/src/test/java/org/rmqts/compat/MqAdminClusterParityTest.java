package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mqadmin parity of {@link MqAdminParityTest} on the two other shapes of cluster its list applies to: a master/slave
 * pair of broker-a (ours and ours, against Java's and Java's), and a broker with plain ACL on (the five ACL commands).
 * Same masks as {@link ParitySide#normalized}; the slave's address is masked as {@code <slave>}.
 */
class MqAdminClusterParityTest {
    static final String TOPIC = Compat.unique("ClusterParityTopic");
    static final int MESSAGES = 4;
    /** mqadmin runs unsigned (no tools.yml): 127.0.0.1 is globally white; one admin account. */
    static final String ACL_YAML = String.join("\n",
        "globalWhiteRemoteAddresses:",
        "- 127.0.0.1",
        "accounts:",
        "- accessKey: adminKey1",
        "  secretKey: adminSecret1",
        "  admin: true",
        "");

    static final class PairTs {
    }

    static final class PairJava {
    }

    static final class AclTs {
    }

    static final class AclJava {
    }

    private static ParitySide tsPair;
    private static ParitySide javaPair;
    private static ParitySide tsAcl;
    private static ParitySide javaAcl;

    @BeforeAll
    static void boot() throws Exception {
        tsPair = new ParitySide("ts", "ts", () -> Servers.startPair(PairTs.class, Servers.Target.TS, Servers.Target.TS, Map.of()));
        javaPair = new ParitySide("java", "java",
            () -> Servers.startPair(PairJava.class, Servers.Target.JAVA, Servers.Target.JAVA, Map.of()));
        for (ParitySide side : new ParitySide[] {tsPair, javaPair}) {
            MqAdmin.Result created = side.run(side.substitute(new String[] {"updateTopic", "-b", "<broker>", "-t", TOPIC, "-r", "2", "-w", "2"}));
            assertTrue(created.out.contains("success"), created.toString());
            Compat.awaitRoute(side.servers, TOPIC, 15_000);
            side.producer = Compat.producer(side.servers, Compat.unique("pg_cluster_parity"));
            for (int i = 0; i < MESSAGES; i++) {
                Message m = new Message(TOPIC, "TagC", "ck-" + i, ("cluster-" + i).getBytes(StandardCharsets.UTF_8));
                SendResult r = side.producer.send(m, (mqs, msg, arg) -> mqs.get((Integer) arg % mqs.size()), i);
                assertEquals(SendStatus.SEND_OK, r.getSendStatus());
                side.sent.add(r);
            }
        }
        tsAcl = new ParitySide("ts", "ts", () -> Servers.start(AclTs.class, 0, Map.of("aclEnable", "true"), ACL_YAML));
        javaAcl = new ParitySide("java", "java", () -> Servers.start(AclJava.class, 0, Map.of("aclEnable", "true"), ACL_YAML));
    }

    @AfterAll
    static void shutdown() {
        for (ParitySide side : new ParitySide[] {tsPair, javaPair, tsAcl, javaAcl}) {
            if (side != null) {
                side.close();
            }
        }
    }

    private static void samePair(Function<String, String> mask, String... args) {
        ParitySide.assertSameOutput(javaPair, tsPair, mask, args);
    }

    private static void sameAcl(String... args) {
        ParitySide.assertSameOutput(javaAcl, tsAcl, Function.identity(), args);
    }

    @Test
    void masterSlaveViewsMatch() {
        // TPS, page-cache wait, hours and disk space columns are measurements
        samePair(l -> l.replaceAll("(V4_7_1) .*", "$1"), "clusterList");
        samePair(Function.identity(), "topicRoute", "-t", TOPIC);
        samePair(Function.identity(), "topicStatus", "-t", TOPIC);
        samePair(Function.identity(), "queryMsgByOffset", "-t", TOPIC, "-b", "broker-a", "-i", "1", "-o", "0");
        // Java 4.7.1 accepts a topic created on a slave (it is not registered as writable there); so do we
        samePair(Function.identity(), "updateTopic", "-b", "<slave>", "-t", Compat.unique("CreatedOnSlave"));
    }

    @Test
    void aSlavesStatusAndConfigHaveJavasKeys() {
        for (String command : new String[] {"brokerStatus", "getBrokerConfig"}) {
            String separator = command.equals("brokerStatus") ? "\\s*:\\s" : "=\\s+";
            Map<String, String> expected = javaPair.run(command, "-b", javaPair.servers.slaveAddr()).keyValues(separator);
            Map<String, String> actual = tsPair.run(command, "-b", tsPair.servers.slaveAddr()).keyValues(separator);
            Set<String> ours = new TreeSet<>(actual.keySet());
            ours.removeAll(MqAdminParityTest.OUR_OWN_BROKER_KEYS);
            ours.removeIf(k -> k.startsWith("====="));
            Set<String> theirs = new TreeSet<>(expected.keySet());
            theirs.removeIf(k -> k.startsWith("====="));
            assertTrue(theirs.size() > 20, command + " on Java's slave: " + expected);
            assertEquals(theirs, ours, command + " keys on a slave");
            if (command.equals("getBrokerConfig")) {
                assertEquals(expected.get("brokerRole"), actual.get("brokerRole"));
                assertEquals(expected.get("brokerId"), actual.get("brokerId"));
            }
        }
    }

    @Test
    void aclCommandsMatch() {
        sameAcl("updateAclConfig", "-b", "<broker>", "-a", "cliUser01", "-s", "cliSecret01", "-i", "DENY", "-u", "SUB",
            "-t", "aclOpen=PUB", "-m", "false");
        sameAcl("getAccessConfigSubCommand", "-b", "<broker>");
        sameAcl("clusterAclConfigVersion", "-c", "DefaultCluster");
        sameAcl("deleteAccessConfig", "-b", "<broker>", "-a", "cliUser01");
        sameAcl("updateGlobalWhiteAddr", "-b", "<broker>", "-g", "10.10.103.*,127.0.0.1");
        sameAcl("getAccessConfigSubCommand", "-b", "<broker>");
    }
}

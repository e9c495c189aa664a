package org.rmqts.compat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The servers (and, if asked for, a producer and an admin) of one test class, started before its first test and
 * stopped after its last:
 * <pre>
 * &#64;RegisterExtension
 * static final CompatFixture fx = CompatFixture.create().withProducer("pg_x").withAdmin();
 * </pre>
 * Its {@code beforeAll} runs before the class's own {@code @BeforeAll} methods, its {@code afterAll} after the
 * class's {@code @AfterAll} methods, and it stops whatever it started even when starting failed half-way.
 */
public final class CompatFixture implements BeforeAllCallback, AfterAllCallback {
    private int nsPort;
    private final Map<String, String> brokerConf = new LinkedHashMap<>();
    private String producerGroup;
    private boolean withAdmin;
    private boolean clientOffsetsInBuildDir;
    private String tsOnlyReason;
    private String plainAclYaml;
    private Servers.Target pairMaster;
    private Servers.Target pairSlave;

    private Servers servers;
    private DefaultMQProducer producer;
    private DefaultMQAdminExt admin;

    private CompatFixture() {
    }

    /** A NameServer and a broker on free ports, named after the test class. */
    public static CompatFixture create() {
        return new CompatFixture();
    }

    /** The NameServer listens on {@code port} (0: a free one). */
    public CompatFixture nsPort(int port) {
        this.nsPort = port;
        return this;
    }

    public CompatFixture brokerConf(String key, String value) {
        brokerConf.put(key, value);
        return this;
    }

    /** A started producer of group {@code Compat.unique(groupPrefix)}. */
    public CompatFixture withProducer(String groupPrefix) {
        this.producerGroup = groupPrefix;
        return this;
    }

    /** {@code aclEnable=true} and this {@code conf/plain_acl.yml} in the broker's ROCKETMQ_HOME. */
    public CompatFixture plainAcl(String yaml) {
        this.plainAclYaml = yaml;
        brokerConf.put("aclEnable", "true");
        return this;
    }

    /** A started {@link DefaultMQAdminExt}. */
    public CompatFixture withAdmin() {
        this.withAdmin = true;
        return this;
    }

    /** Broadcasting consumers keep offsets in files: keep them in the build dir, not the real home (read once per JVM). */
    public CompatFixture clientOffsetsInBuildDir() {
        this.clientOffsetsInBuildDir = true;
        return this;
    }

    /**
     * A master/slave pair of broker-a instead of one broker ({@link Servers#startPair}): the master of
     * {@code master}, the slave (brokerId 1) of {@code slave}; {@link #brokerConf} goes to both.
     */
    public CompatFixture withSlave(Servers.Target master, Servers.Target slave) {
        this.pairMaster = master;
        this.pairSlave = slave;
        return this;
    }

    /** Skips the class (starting nothing) when the target is the Java broker. */
    public CompatFixture tsOnly(String reason) {
        this.tsOnlyReason = reason;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (tsOnlyReason != null) {
            Assumptions.assumeTrue(!Servers.isJava(), tsOnlyReason);
        }
        if (clientOffsetsInBuildDir) {
            System.setProperty("rocketmq.client.localOffsetStoreDir",
                Servers.buildDir().resolve("client-offsets").toString());
        }
        servers = pairSlave != null
            ? Servers.startPair(context.getRequiredTestClass(), pairMaster, pairSlave, brokerConf)
            : Servers.start(context.getRequiredTestClass(), nsPort, brokerConf, plainAclYaml);
        if (producerGroup != null) {
            producer = Compat.producer(servers, Compat.unique(producerGroup));
        }
        if (withAdmin) {
            admin = Consumption.admin(servers);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Consumption.shutdown(admin, producer, servers);
    }

    public Servers servers() {
        return servers;
    }

    public DefaultMQProducer producer() {
        return producer;
    }

    public DefaultMQAdminExt admin() {
        return admin;
    }
}

package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.function.Supplier;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.AclConfig;
import org.apache.rocketmq.common.PlainAccessConfig;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.protocol.body.ClusterAclVersionInfo;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.protocol.RequestCode;
import org.apache.rocketmq.common.protocol.header.CreateTopicRequestHeader;
import org.apache.rocketmq.common.protocol.header.PullMessageRequestHeader;
import org.apache.rocketmq.common.protocol.header.SendMessageRequestHeader;
import org.apache.rocketmq.common.protocol.header.SendMessageRequestHeaderV2;
import org.apache.rocketmq.remoting.RPCHook;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Plain ACL (aclEnable=true, ROCKETMQ_HOME/conf/plain_acl.yml) with the official 4.7.1 {@link AclClientRPCHook}.
 * Every refusal is compared by code and full remark: the Java broker answers SYSTEM_ERROR with
 * "AclException: message, first stack frame", and so must ours.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AclTest {
    static final String YAML = String.join("\n",
        "globalWhiteRemoteAddresses:",
        "- 10.10.103.*",
        "- 192.168.0.{1,2}",
        "accounts:",
        "- accessKey: RocketMQ",
        "  secretKey: 12345678",
        "  whiteRemoteAddress: 192.168.1.1-5",
        "  admin: false",
        "  defaultTopicPerm: DENY",
        "  defaultGroupPerm: DENY",
        "  topicPerms:",
        "  - aclOpen=PUB|SUB",
        "  - aclDeny=DENY",
        "  - aclSubOnly=SUB",
        "  groupPerms:",
        "  - aclGroupSub=SUB",
        "- accessKey: whiteKey1",
        "  secretKey: whiteSecret1",
        "  whiteRemoteAddress: 127.0.0.1",
        "  admin: false",
        "- accessKey: adminKey1",
        "  secretKey: adminSecret1",
        "  admin: true",
        "");
    static final String V = "org.apache.rocketmq.acl.plain.PlainPermissionManager.validate(PlainPermissionManager.java:";
    static final String CP = "org.apache.rocketmq.acl.plain.PlainPermissionManager.checkPerm(PlainPermissionManager.java:";
    static final String EX = "org.apache.rocketmq.acl.common.AclException: ";

    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create().plainAcl(YAML);

    static final RPCHook USER = new AclClientRPCHook(new SessionCredentials("RocketMQ", "12345678"));
    static final RPCHook ADMIN = new AclClientRPCHook(new SessionCredentials("adminKey1", "adminSecret1"));
    static NettyRemotingClient client;
    static DefaultMQAdminExt admin;

    @BeforeAll
    static void setUp() throws Exception {
        client = new NettyRemotingClient(new NettyClientConfig());
        client.start();
        admin = new DefaultMQAdminExt(ADMIN, 10_000);
        admin.setNamesrvAddr(fx.servers().nsAddr());
        admin.setInstanceName(Compat.unique("acl-admin"));
        admin.start();
        for (String topic : new String[] {"aclOpen", "aclDeny", "aclSubOnly"}) {
            TopicConfig config = new TopicConfig(topic, 4, 4, 6);
            admin.createAndUpdateTopicConfig(fx.servers().brokerAddr(), config);
        }
    }

    @AfterAll
    static void tearDown() {
        if (admin != null) {
            admin.shutdown();
        }
        if (client != null) {
            client.shutdown();
        }
    }

    static RemotingCommand call(RPCHook hook, RemotingCommand request) throws Exception {
        if (hook != null) {
            hook.doBeforeRequest(fx.servers().brokerAddr(), request);
        }
        return client.invokeSync(fx.servers().brokerAddr(), request, 5000);
    }

    static RemotingCommand send(String topic) {
        SendMessageRequestHeader h = new SendMessageRequestHeader();
        h.setProducerGroup("aclPg");
        h.setTopic(topic);
        h.setDefaultTopic("TBW102");
        h.setDefaultTopicQueueNums(4);
        h.setQueueId(0);
        h.setSysFlag(0);
        h.setBornTimestamp(System.currentTimeMillis());
        h.setFlag(0);
        h.setProperties("");
        h.setReconsumeTimes(0);
        h.setUnitMode(false);
        h.setBatch(false);
        RemotingCommand r = RemotingCommand.createRequestCommand(RequestCode.SEND_MESSAGE_V2,
            SendMessageRequestHeaderV2.createSendMessageRequestHeaderV2(h));
        r.setBody("acl".getBytes(StandardCharsets.UTF_8));
        return r;
    }

    static RemotingCommand pull(String group, String topic) {
        PullMessageRequestHeader h = new PullMessageRequestHeader();
        h.setConsumerGroup(group);
        h.setTopic(topic);
        h.setQueueId(0);
        h.setQueueOffset(0L);
        h.setMaxMsgNums(1);
        h.setSysFlag(0);
        h.setCommitOffset(0L);
        h.setSuspendTimeoutMillis(0L);
        h.setSubVersion(0L);
        return RemotingCommand.createRequestCommand(RequestCode.PULL_MESSAGE, h);
    }

    static void refused(RemotingCommand response, String remark) {
        assertEquals(1, response.getCode(), "SYSTEM_ERROR expected, remark " + response.getRemark());
        assertEquals(remark, response.getRemark());
    }

    static void passed(RemotingCommand response) {
        String remark = response.getRemark() == null ? "" : response.getRemark();
        assertFalse(remark.contains("AclException"), "refused by ACL: " + remark);
    }

    @Test
    @Order(1)
    void rightKeySignsAndSends() throws Exception {
        RemotingCommand response = call(USER, send("aclOpen"));
        assertEquals(0, response.getCode(), response.getRemark());
    }

    @Test
    @Order(2)
    void wrongSecretUnknownKeyMissingSignatureNoKeys() throws Exception {
        refused(call(new AclClientRPCHook(new SessionCredentials("RocketMQ", "wrongSecret")), send("aclOpen")),
            EX + "Check signature failed for accessKey=RocketMQ, " + V + "410)");
        refused(call(new AclClientRPCHook(new SessionCredentials("NoSuchKey", "12345678")), send("aclOpen")),
            EX + "No acl config for NoSuchKey, " + V + "398)");
        RemotingCommand unsigned = send("aclOpen");
        unsigned.addExtField("AccessKey", "RocketMQ");
        refused(call(null, unsigned), EX + "Check signature failed for accessKey=RocketMQ, " + V + "410)");
        refused(call(null, send("aclOpen")), EX + "No accessKey is configured, " + V + "394)");
        // a body changed after signing
        RemotingCommand tampered = send("aclOpen");
        USER.doBeforeRequest(fx.servers().brokerAddr(), tampered);
        tampered.setBody("other".getBytes(StandardCharsets.UTF_8));
        refused(client.invokeSync(fx.servers().brokerAddr(), tampered, 5000),
            EX + "Check signature failed for accessKey=RocketMQ, " + V + "410)");
    }

    @Test
    @Order(3)
    void accountWhiteAddressSkipsTheSignature() throws Exception {
        passed(call(new AclClientRPCHook(new SessionCredentials("whiteKey1", "notTheSecret")), send("aclDeny")));
    }

    @Test
    @Order(4)
    void topicDenyAndSubOnly() throws Exception {
        refused(call(USER, send("aclDeny")), EX + "No default permission for topic:aclDeny, " + CP + "346)");
        refused(call(USER, send("aclSubOnly")), EX + "No default permission for topic:aclSubOnly, " + CP + "346)");
        refused(call(USER, send("aclUnlisted")), EX + "No default permission for topic:aclUnlisted, " + CP + "341)");
    }

    @Test
    @Order(5)
    void groupSubOnly() throws Exception {
        passed(call(USER, pull("aclGroupSub", "aclSubOnly")));
        refused(call(USER, pull("aclGroupOther", "aclSubOnly")), EX + "No default permission for group:aclGroupOther, " + CP + "341)");
    }

    @Test
    @Order(6)
    void adminOnlyCodes() throws Exception {
        CreateTopicRequestHeader h = new CreateTopicRequestHeader();
        h.setTopic("aclCreated");
        h.setDefaultTopic("TBW102");
        h.setReadQueueNums(1);
        h.setWriteQueueNums(1);
        h.setPerm(6);
        h.setTopicFilterType("SINGLE_TAG");
        h.setTopicSysFlag(0);
        h.setOrder(false);
        refused(call(USER, RemotingCommand.createRequestCommand(RequestCode.UPDATE_AND_CREATE_TOPIC, h)),
            EX + "Need admin permission for request code=17, but accessKey=RocketMQ is not, " + CP + "316)");
        assertEquals(0, call(ADMIN, RemotingCommand.createRequestCommand(RequestCode.UPDATE_AND_CREATE_TOPIC, h)).getCode());
    }

    @Test
    @Order(7)
    void producerWithTheHookSendsAndIsRefusedADeniedTopic() throws Exception {
        DefaultMQProducer producer = new DefaultMQProducer(Compat.unique("aclPg"), USER);
        producer.setNamesrvAddr(fx.servers().nsAddr());
        producer.setInstanceName(Compat.unique("acl-p"));
        producer.setRetryTimesWhenSendFailed(0);
        producer.start();
        try {
            SendResult result = producer.send(new Message("aclOpen", "hello".getBytes(StandardCharsets.UTF_8)));
            assertEquals(SendStatus.SEND_OK, result.getSendStatus());
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> producer.send(new Message("aclDeny", "no".getBytes(StandardCharsets.UTF_8))));
            String all = String.valueOf(e) + " " + String.valueOf(e.getCause());
            assertTrue(all.contains("No default permission for topic:aclDeny"), all);
        } finally {
            producer.shutdown();
        }
    }

    @Test
    @Order(8)
    void fileChangeTakesEffectWithoutRestart() throws Exception {
        String original = new String(Files.readAllBytes(fx.servers().plainAclFile()), StandardCharsets.UTF_8);
        refused(call(null, send("aclOpen")), EX + "No accessKey is configured, " + V + "394)");
        Files.write(fx.servers().plainAclFile(), original.replace("- 10.10.103.*", "- 127.0.0.1").getBytes(StandardCharsets.UTF_8));
        awaitCode(0, () -> send("aclOpen"), null);
        passed(call(null, send("aclDeny")));
        Files.write(fx.servers().plainAclFile(), original.getBytes(StandardCharsets.UTF_8));
        awaitCode(1, () -> send("aclOpen"), null);
        refused(call(null, send("aclOpen")), EX + "No accessKey is configured, " + V + "394)");
    }

    static void awaitCode(int code, Supplier<RemotingCommand> request, RPCHook hook) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        int last = -1;
        while (System.currentTimeMillis() < deadline) {
            last = call(hook, request.get()).getCode();
            if (last == code) {
                return;
            }
            Thread.sleep(200);
        }
        assertEquals(code, last, "no change within 15 s");
    }

    @Test
    @Order(9)
    void aclAdminCommands() throws Exception {
        String addr = fx.servers().brokerAddr();
        ClusterAclVersionInfo before = admin.examineBrokerClusterAclVersionInfo(addr);
        assertEquals("broker-a", before.getBrokerName());
        assertEquals(addr, before.getBrokerAddr());
        assertEquals("DefaultCluster", before.getClusterName());

        PlainAccessConfig created = new PlainAccessConfig();
        created.setAccessKey("newUser1");
        created.setSecretKey("newSecret1");
        created.setAdmin(false);
        created.setDefaultTopicPerm("DENY");
        created.setDefaultGroupPerm("SUB");
        created.setTopicPerms(java.util.Arrays.asList("aclDeny=PUB"));
        admin.createAndUpdatePlainAccessConfig(addr, created);
        ClusterAclVersionInfo after = admin.examineBrokerClusterAclVersionInfo(addr);
        assertNotEquals(before.getAclConfigDataVersion().getCounter().get(), after.getAclConfigDataVersion().getCounter().get());

        RPCHook newUser = new AclClientRPCHook(new SessionCredentials("newUser1", "newSecret1"));
        awaitCode(0, () -> send("aclDeny"), newUser);
        refused(call(newUser, send("aclOpen")), EX + "No default permission for topic:aclOpen, " + CP + "341)");

        AclConfig config = admin.examineBrokerClusterAclConfig(addr);
        assertTrue(config.getGlobalWhiteAddrs().contains("10.10.103.*"), String.valueOf(config.getGlobalWhiteAddrs()));
        assertTrue(config.getPlainAccessConfigs().stream().anyMatch(c -> "newUser1".equals(c.getAccessKey())));

        admin.updateGlobalWhiteAddrConfig(addr, "10.10.*.*,127.0.0.1");
        awaitCode(0, () -> send("aclOpen"), null);
        admin.updateGlobalWhiteAddrConfig(addr, "10.10.103.*");
        awaitCode(1, () -> send("aclOpen"), null);

        admin.deletePlainAccessConfig(addr, "newUser1");
        awaitCode(1, () -> send("aclDeny"), newUser);
        refused(call(newUser, send("aclDeny")), EX + "No acl config for newUser1, " + V + "398)");
        String yml = new String(Files.readAllBytes(fx.servers().plainAclFile()), StandardCharsets.UTF_8);
        assertTrue(yml.contains("dataVersion"), yml);
        assertFalse(yml.contains("newUser1"), yml);
    }

    /** The mqadmin sub-commands themselves (unsigned: MqAdmin has no tools.yml), from a globally white address. */
    @Test
    @Order(10)
    void mqadminAclCommands() throws Exception {
        String addr = fx.servers().brokerAddr();
        String ns = fx.servers().nsAddr();
        admin.updateGlobalWhiteAddrConfig(addr, "127.0.0.1");
        awaitCode(0, () -> send("aclOpen"), null);
        try {
            MqAdmin.Result update = MqAdmin.run(ns, "updateAclConfig", "-b", addr, "-a", "cliUser01", "-s", "cliSecret01",
                "-i", "DENY", "-u", "SUB", "-t", "aclOpen=PUB", "-m", "false");
            assertTrue(update.out.contains("create or update plain access config to " + addr + " success."), update.out + update.err);
            MqAdmin.Result version = MqAdmin.run(ns, "clusterAclConfigVersion", "-c", "DefaultCluster");
            assertTrue(version.out.contains("broker-a") && version.out.contains(addr), version.out + version.err);
            MqAdmin.Result config = MqAdmin.run(ns, "getAccessConfigSubCommand", "-b", addr);
            assertTrue(config.out.contains("cliUser01"), config.out + config.err);
            RPCHook cli = new AclClientRPCHook(new SessionCredentials("cliUser01", "cliSecret01"));
            MqAdmin.Result delete = MqAdmin.run(ns, "deleteAccessConfig", "-b", addr, "-a", "cliUser01");
            assertTrue(delete.out.contains("delete plain access config account to " + addr + " success."), delete.out + delete.err);
            MqAdmin.Result global = MqAdmin.run(ns, "updateGlobalWhiteAddr", "-b", addr, "-g", "10.10.103.*");
            assertTrue(global.out.contains("update global white remote addresses to " + addr + " success."), global.out + global.err);
            awaitCode(1, () -> send("aclOpen"), null);
            refused(call(cli, send("aclOpen")), EX + "No acl config for cliUser01, " + V + "398)");
        } finally {
            admin.updateGlobalWhiteAddrConfig(addr, "10.10.103.*");
        }
    }

    /** A push consumer signing with an account that may SUB the topic and the group consumes (heartbeat, pull, offsets). */
    @Test
    @Order(11)
    void pushConsumerWithTheHookConsumes() throws Exception {
        DefaultMQProducer producer = new DefaultMQProducer(Compat.unique("aclPg"), USER);
        producer.setNamesrvAddr(fx.servers().nsAddr());
        producer.setInstanceName(Compat.unique("acl-p2"));
        producer.start();
        java.util.List<org.apache.rocketmq.common.message.MessageExt> sink = Compat.syncList();
        org.apache.rocketmq.client.consumer.DefaultMQPushConsumer consumer = new org.apache.rocketmq.client.consumer.DefaultMQPushConsumer(
            "aclGroupSub", USER, new org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely());
        try {
            String body = Compat.unique("acl-consume");
            producer.send(new Message("aclOpen", body.getBytes(StandardCharsets.UTF_8)));
            consumer.setNamesrvAddr(fx.servers().nsAddr());
            consumer.setInstanceName(Compat.unique("acl-c"));
            consumer.setConsumeFromWhere(org.apache.rocketmq.common.consumer.ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            consumer.subscribe("aclOpen", "*");
            consumer.registerMessageListener(Compat.collectInto(sink));
            consumer.start();
            Compat.await("the message signed by RocketMQ", 30_000,
                () -> sink.stream().anyMatch(m -> body.equals(Compat.body(m))), () -> sink.size() + " received");
        } finally {
            consumer.shutdown();
            producer.shutdown();
        }
    }

    /** A documented difference (README "ACL"): 4.7.1 checks only the signature of SEND_BATCH_MESSAGE, ours the topic too. */
    @Test
    @Order(12)
    void batchToADeniedTopic() throws Exception {
        RemotingCommand batch = send("aclDeny");
        batch.setCode(RequestCode.SEND_BATCH_MESSAGE);
        batch.setBody(org.apache.rocketmq.common.message.MessageDecoder.encodeMessages(java.util.Collections.singletonList(
            new Message("aclDeny", "b".getBytes(StandardCharsets.UTF_8)))));
        RemotingCommand response = call(USER, batch);
        if (Servers.isJava()) {
            assertEquals(0, response.getCode(), response.getRemark());
        } else {
            refused(response, EX + "No default permission for topic:aclDeny, " + CP + "346)");
        }
    }
}

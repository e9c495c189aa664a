package org.rmqts.golden;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.alibaba.fastjson.JSON;
import org.apache.rocketmq.common.DataVersion;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.UtilAll;
import org.apache.rocketmq.common.admin.ConsumeStats;
import org.apache.rocketmq.common.admin.OffsetWrapper;
import org.apache.rocketmq.common.admin.TopicOffset;
import org.apache.rocketmq.common.admin.TopicStatsTable;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.filter.FilterAPI;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageAccessor;
import org.apache.rocketmq.common.message.MessageClientExt;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.protocol.RequestCode;
import org.apache.rocketmq.common.protocol.ResponseCode;
import org.apache.rocketmq.common.protocol.body.ClusterInfo;
import org.apache.rocketmq.common.protocol.body.KVTable;
import org.apache.rocketmq.common.protocol.body.LockBatchRequestBody;
import org.apache.rocketmq.common.protocol.body.RegisterBrokerBody;
import org.apache.rocketmq.common.protocol.body.TopicConfigSerializeWrapper;
import org.apache.rocketmq.common.protocol.header.GetConsumerListByGroupResponseBody;
import org.apache.rocketmq.common.protocol.header.PullMessageRequestHeader;
import org.apache.rocketmq.common.protocol.header.PullMessageResponseHeader;
import org.apache.rocketmq.common.protocol.header.QueryConsumerOffsetRequestHeader;
import org.apache.rocketmq.common.protocol.header.QueryConsumerOffsetResponseHeader;
import org.apache.rocketmq.common.protocol.header.QueryMessageRequestHeader;
import org.apache.rocketmq.common.protocol.header.SendMessageRequestHeader;
import org.apache.rocketmq.common.protocol.header.SendMessageRequestHeaderV2;
import org.apache.rocketmq.common.protocol.header.SendMessageResponseHeader;
import org.apache.rocketmq.common.protocol.header.UpdateConsumerOffsetRequestHeader;
import org.apache.rocketmq.common.protocol.header.namesrv.GetRouteInfoRequestHeader;
import org.apache.rocketmq.common.protocol.header.namesrv.RegisterBrokerRequestHeader;
import org.apache.rocketmq.common.protocol.header.namesrv.RegisterBrokerResponseHeader;
import org.apache.rocketmq.common.protocol.heartbeat.ConsumeType;
import org.apache.rocketmq.common.protocol.heartbeat.ConsumerData;
import org.apache.rocketmq.common.protocol.heartbeat.HeartbeatData;
import org.apache.rocketmq.common.protocol.heartbeat.MessageModel;
import org.apache.rocketmq.common.protocol.heartbeat.ProducerData;
import org.apache.rocketmq.common.protocol.heartbeat.SubscriptionData;
import org.apache.rocketmq.common.protocol.route.BrokerData;
import org.apache.rocketmq.common.protocol.route.QueueData;
import org.apache.rocketmq.common.protocol.route.TopicRouteData;
import org.apache.rocketmq.common.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.common.sysflag.MessageSysFlag;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RemotingSerializable;
import org.apache.rocketmq.remoting.protocol.SerializeType;

/**
 * Writes golden vectors produced by the OFFICIAL RocketMQ 4.7.1 classes (remoting, common, fastjson 1.2.69) into
 * {@code src/codec/fixtures/}. Everything is deterministic: fixed timestamps, fixed opaques, fixed ids, and only
 * collections whose iteration order does not depend on identity hash codes.
 *
 * <p>Run: {@code compat-tests/generate-golden.sh} (or {@code mvn -q -f compat-tests test-compile exec:java}).
 */
public final class GoldenGenerator {
    public static final String SOURCE_PATH = "compat-tests/src/main/java/org/rmqts/golden/GoldenGenerator.java";

    static final long T0 = 1600000000000L;
    static final String UNIQ = "0A00000112345678ABCD000000010000";
    // the vectors of protocol-4.7.1.md Appendix A, spaces removed
    static final String APPENDIX_A_RECORD = ("00000068 daa320a7 3610a686 00000001 00000000 0000000000000005 "
        + "00000000000003e8 00000000 00000174876e8000 0a000001 0000c350 00000174876e8064 0a000002 00002a9f "
        + "00000000 0000000000000000 00000005 68656c6c6f 01 54 0007 54414753016102").replace(" ", "");
    static final String APPENDIX_A_ROUTE_FRAME = ("00000025 01000021 0069 00 0163 00000001 00000000 00000000 "
        + "0000000c 0005 746f706963 00000001 54").replace(" ", "");
    static final String APPENDIX_A_BATCH = "0000001e 00000000 00000000 00000000 00000001 78 0007 54414753016102"
        .replace(" ", "");

    private final Path out;
    private final List<Map<String, Object>> fixtures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private GoldenGenerator(Path out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        // every JVM of the 4.7.1 distribution sets this at start-up; RemotingCommand caches it on first use
        System.setProperty(RemotingCommand.REMOTING_VERSION_KEY, "355");
        Path out = Paths.get(args.length > 0 ? args[0] : "../src/codec/fixtures").toAbsolutePath().normalize();
        GoldenGenerator g = new GoldenGenerator(out);
        g.run();
        System.out.println("golden vectors written to " + out + " (" + g.fixtures.size() + " fixtures)");
        for (String n : g.notes) {
            System.out.println("note: " + n);
        }
    }

    void run() throws Exception {
        for (String sub : new String[] {"frames", "records", "batches", "bodies"}) {
            Path dir = out.resolve(sub);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
        }
        frames();
        records();
        batches();
        bodies();
        writeManifest();
    }

    // ------------------------------------------------------------------------------------------------ frames

    private void frames() throws Exception {
        frame("send_message_v2_request",
            "SEND_MESSAGE_V2 (310) request: SendMessageRequestHeaderV2 (keys a..m) built with "
                + "createSendMessageRequestHeaderV2, properties TAGS/KEYS/UNIQ_KEY/WAIT, body \"hello\"",
            () -> {
                SendMessageRequestHeaderV2 h = SendMessageRequestHeaderV2.createSendMessageRequestHeaderV2(sendV1Header());
                RemotingCommand c = RemotingCommand.createRequestCommand(RequestCode.SEND_MESSAGE_V2, h);
                c.setOpaque(100);
                c.setBody(bytes("hello"));
                return c;
            });
        frame("send_message_v2_minimal_request",
            "SEND_MESSAGE_V2 (310) request reproducing protocol §1.2 'request' example exactly "
                + "(group pg, topic T, properties TAGS=a WAIT=true, opaque 0), body \"hello\"",
            () -> {
                SendMessageRequestHeader v1 = new SendMessageRequestHeader();
                v1.setProducerGroup("pg");
                v1.setTopic("T");
                v1.setDefaultTopic("TBW102");
                v1.setDefaultTopicQueueNums(4);
                v1.setQueueId(1);
                v1.setSysFlag(0);
                v1.setBornTimestamp(T0);
                v1.setFlag(0);
                v1.setProperties("TAGS\u0001a\u0002WAIT\u0001true\u0002");
                v1.setReconsumeTimes(0);
                v1.setUnitMode(false);
                v1.setBatch(false);
                RemotingCommand c = RemotingCommand.createRequestCommand(RequestCode.SEND_MESSAGE_V2,
                    SendMessageRequestHeaderV2.createSendMessageRequestHeaderV2(v1));
                c.setOpaque(0);
                c.setBody(bytes("hello"));
                return c;
            });
        frame("send_message_v1_request",
            "SEND_MESSAGE (10) request with the long-named SendMessageRequestHeader (V1), body \"hello\"",
            () -> {
                RemotingCommand c = RemotingCommand.createRequestCommand(RequestCode.SEND_MESSAGE, sendV1Header());
                c.setOpaque(101);
                c.setBody(bytes("hello"));
                return c;
            });
        frame("send_response",
            "send SUCCESS response: SendMessageResponseHeader (msgId=offsetMsgId, queueId, queueOffset) plus "
                + "addExtField MSG_REGION=DefaultRegion and TRACE_ON=true as the broker adds them",
            () -> {
                RemotingCommand c = RemotingCommand.createResponseCommand(SendMessageResponseHeader.class);
                SendMessageResponseHeader h = (SendMessageResponseHeader) c.readCustomHeader();
                h.setMsgId("7F00000100002A9F00000000000003E8");
                h.setQueueId(1);
                h.setQueueOffset(5L);
                c.addExtField(MessageConst.PROPERTY_MSG_REGION, "DefaultRegion");
                c.addExtField(MessageConst.PROPERTY_TRACE_SWITCH, "true");
                c.setCode(ResponseCode.SUCCESS);
                c.setRemark(null);
                c.setOpaque(100);
                return c;
            });
        frame("pull_message_request",
            "PULL_MESSAGE (11) request as a push consumer sends it (sysFlag 3 = COMMIT_OFFSET|SUSPEND, "
                + "suspendTimeoutMillis 15000, subscription \"a || b\", expressionType TAG)",
            () -> {
                PullMessageRequestHeader h = new PullMessageRequestHeader();
                h.setConsumerGroup("cg");
                h.setTopic("T");
                h.setQueueId(1);
                h.setQueueOffset(5L);
                h.setMaxMsgNums(32);
                h.setSysFlag(3);
                h.setCommitOffset(4L);
                h.setSuspendTimeoutMillis(15000L);
                h.setSubscription("a || b");
                h.setSubVersion(T0);
                h.setExpressionType("TAG");
                RemotingCommand c = RemotingCommand.createRequestCommand(RequestCode.PULL_MESSAGE, h);
                c.setOpaque(102);
                return c;
            });
        frame("pull_response_found",
            "PULL_MESSAGE SUCCESS response: PullMessageResponseHeader (suggestWhichBrokerId 0, nextBeginOffset 7, "
                + "minOffset 0, maxOffset 7), remark FOUND, body = two concatenated stored records (queue offsets 5 and 6)",
            () -> {
                RemotingCommand c = RemotingCommand.createResponseCommand(PullMessageResponseHeader.class);
                PullMessageResponseHeader h = (PullMessageResponseHeader) c.readCustomHeader();
                h.setSuggestWhichBrokerId(0L);
                h.setNextBeginOffset(7L);
                h.setMinOffset(0L);
                h.setMaxOffset(7L);
                c.setCode(ResponseCode.SUCCESS);
                c.setRemark("FOUND");
                c.setOpaque(102);
                try {
                    byte[] r1 = MessageDecoder.encode(pulledRecord(5, 1000, "hello"), false);
                    byte[] r2 = MessageDecoder.encode(pulledRecord(6, 1000 + r1.length, "world"), false);
                    c.setBody(concat(r1, r2));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return c;
            });
        frame("heart_beat_request",
            "HEART_BEAT (34) request, no custom header, body = HeartbeatData JSON (one producer group pg, one push "
                + "consumer group cg subscribed to T with \"a || b\")",
            () -> {
                RemotingCommand c = RemotingCommand.createRequestCommand(RequestCode.HEART_BEAT, null);
                c.setOpaque(103);
                c.setBody(heartbeatData().encode());
                return c;
            });
        frame("get_routeinfo_by_topic_request",
            "GET_ROUTEINFO_BY_TOPIC (105) request, topic \"T\", opaque 1 (the ROCKETMQ variant equals protocol "
                + "§1.3 / Appendix A)",
            () -> {
                GetRouteInfoRequestHeader h = new GetRouteInfoRequestHeader();
                h.setTopic("T");
                RemotingCommand c = RemotingCommand.createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, h);
                c.setOpaque(1);
                return c;
            });
        frame("route_response",
            "GET_ROUTEINFO_BY_TOPIC SUCCESS response (createResponseCommand(null): no extFields), body = "
                + "TopicRouteData JSON with unquoted Long keys in brokerAddrs",
            () -> {
                RemotingCommand c = RemotingCommand.createResponseCommand(null);
                c.setCode(ResponseCode.SUCCESS);
                c.setRemark(null);
                c.setOpaque(1);
                c.setBody(topicRouteData().encode());
                return c;
            });
        frame("register_broker_request",
            "REGISTER_BROKER (103) request: RegisterBrokerRequestHeader (bodyCrc32 = crc32(body) & 0x7fffffff, "
                + "compressed false), body = RegisterBrokerBody JSON",
            () -> {
                byte[] body = registerBrokerBody().encode(false);
                RegisterBrokerRequestHeader h = new RegisterBrokerRequestHeader();
                h.setBrokerAddr("127.0.0.1:10911");
                h.setBrokerId(0L);
                h.setBrokerName("broker-a");
                h.setClusterName("DefaultCluster");
                h.setHaServerAddr("127.0.0.1:10912");
                h.setCompressed(false);
                h.setBodyCrc32(UtilAll.crc32(body));
                RemotingCommand c = RemotingCommand.createRequestCommand(RequestCode.REGISTER_BROKER, h);
                c.setOpaque(104);
                c.setBody(body);
                return c;
            });
        frame("query_consumer_offset_request",
            "QUERY_CONSUMER_OFFSET (14) request: consumerGroup cg, topic T, queueId 1",
            () -> {
                QueryConsumerOffsetRequestHeader h = new QueryConsumerOffsetRequestHeader();
                h.setConsumerGroup("cg");
                h.setTopic("T");
                h.setQueueId(1);
                RemotingCommand c = RemotingCommand.createRequestCommand(RequestCode.QUERY_CONSUMER_OFFSET, h);
                c.setOpaque(105);
                return c;
            });
        frame("query_consumer_offset_response",
            "QUERY_CONSUMER_OFFSET SUCCESS response: QueryConsumerOffsetResponseHeader offset 42",
            () -> {
                RemotingCommand c = RemotingCommand.createResponseCommand(QueryConsumerOffsetResponseHeader.class);
                ((QueryConsumerOffsetResponseHeader) c.readCustomHeader()).setOffset(42L);
                c.setCode(ResponseCode.SUCCESS);
                c.setRemark(null);
                c.setOpaque(105);
                return c;
            });
        frame("update_consumer_offset_oneway",
            "UPDATE_CONSUMER_OFFSET (15) oneway request (flag 2): consumerGroup cg, topic T, queueId 1, "
                + "commitOffset 43",
            () -> {
                UpdateConsumerOffsetRequestHeader h = new UpdateConsumerOffsetRequestHeader();
                h.setConsumerGroup("cg");
                h.setTopic("T");
                h.setQueueId(1);
                h.setCommitOffset(43L);
                RemotingCommand c = RemotingCommand.createRequestCommand(RequestCode.UPDATE_CONSUMER_OFFSET, h);
                c.markOnewayRPC();
                c.setOpaque(106);
                return c;
            });
        frame("error_response",
            "SYSTEM_ERROR (1) response, remark with quotes and non-ASCII: oops \"quoted\" \u00e9",
            () -> {
                RemotingCommand c = RemotingCommand.createResponseCommand(ResponseCode.SYSTEM_ERROR,
                    "oops \"quoted\" \u00e9");
                c.setOpaque(4);
                return c;
            });
        frame("bare_response",
            "bare SUCCESS response: createResponseCommand(0, null), no custom header, no extFields (JSON: key "
                + "omitted -> null)",
            () -> {
                RemotingCommand c = RemotingCommand.createResponseCommand(ResponseCode.SUCCESS, null);
                c.setOpaque(7);
                return c;
            });
        frame("empty_header_response",
            "SUCCESS response whose custom header (RegisterBrokerResponseHeader of a master) has only null "
                + "fields: JSON writes \"extFields\":{} (decodes to {}), ROCKETMQ writes length 0 (decodes to null)",
            () -> {
                RemotingCommand c = RemotingCommand.createResponseCommand(RegisterBrokerResponseHeader.class);
                c.setCode(ResponseCode.SUCCESS);
                c.setRemark(null);
                c.setOpaque(104);
                return c;
            });
        frame("control_chars_request",
            "QUERY_MESSAGE (12) request whose key value contains a TAB and a LF (\"k\\tv\\nw\"), plus extField "
                + "_UNIQUE_KEY_QUERY=false; tests escaping of control characters in extFields",
            () -> {
                QueryMessageRequestHeader h = new QueryMessageRequestHeader();
                h.setTopic("T");
                h.setKey("k\tv\nw");
                h.setMaxNum(32);
                h.setBeginTimestamp(0L);
                h.setEndTimestamp(Long.MAX_VALUE);
                RemotingCommand c = RemotingCommand.createRequestCommand(RequestCode.QUERY_MESSAGE, h);
                c.addExtField("_UNIQUE_KEY_QUERY", "false");
                c.setOpaque(107);
                return c;
            });
        frame("control_char_remark_response",
            "SYSTEM_ERROR (1) response whose remark contains control characters (LF, TAB and U+0001)",
            () -> {
                RemotingCommand c = RemotingCommand.createResponseCommand(ResponseCode.SYSTEM_ERROR,
                    "line1\nline2\tcol\u0001end");
                c.setOpaque(108);
                return c;
            });
        frame("request_code_not_supported_response",
            "REQUEST_CODE_NOT_SUPPORTED (3) response as NettyRemotingAbstract builds it for an unknown code "
                + "(remark \" request type 9999 not supported\")",
            () -> {
                RemotingCommand c = RemotingCommand.createResponseCommand(ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
                    " request type 9999 not supported");
                c.setOpaque(109);
                return c;
            });
    }

    private static SendMessageRequestHeader sendV1Header() {
        Message m = new Message("TopicTest", "TagA", "key1 key2", bytes("hello"));
        MessageAccessor.putProperty(m, MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, UNIQ);
        SendMessageRequestHeader h = new SendMessageRequestHeader();
        h.setProducerGroup("pg");
        h.setTopic("TopicTest");
        h.setDefaultTopic("TBW102");
        h.setDefaultTopicQueueNums(4);
        h.setQueueId(1);
        h.setSysFlag(0);
        h.setBornTimestamp(T0);
        h.setFlag(0);
        h.setProperties(MessageDecoder.messageProperties2String(m.getProperties()));
        h.setReconsumeTimes(0);
        h.setUnitMode(false);
        h.setBatch(false);
        return h;
    }

    private void frame(String name, String description, Supplier<RemotingCommand> factory) throws Exception {
        for (SerializeType type : new SerializeType[] {SerializeType.JSON, SerializeType.ROCKETMQ}) {
            RemotingCommand cmd = factory.get();
            cmd.setSerializeTypeCurrentRPC(type);
            ByteBuffer bb = cmd.encode();
            byte[] frame = new byte[bb.remaining()];
            bb.get(frame);

            // decode exactly like NettyDecoder: the length prefix is stripped by the frame decoder
            RemotingCommand dec = RemotingCommand.decode(Arrays.copyOfRange(frame, 4, frame.length));
            if (dec.getSerializeTypeCurrentRPC() != type) {
                throw new IllegalStateException("serialize type did not round-trip for " + name);
            }
            Map<String, Object> expect = new LinkedHashMap<>();
            expect.put("serializeType", type.name());
            expect.put("code", dec.getCode());
            expect.put("language", dec.getLanguage().name());
            expect.put("version", dec.getVersion());
            expect.put("opaque", dec.getOpaque());
            expect.put("flag", dec.getFlag());
            expect.put("remark", dec.getRemark());
            expect.put("extFields", dec.getExtFields() == null ? null : new TreeMap<String, Object>(dec.getExtFields()));
            expect.put("bodyHex", dec.getBody() == null ? null : hex(dec.getBody()));

            String suffix = type == SerializeType.JSON ? "json" : "rocketmq";
            String file = "frames/" + name + "." + suffix + ".hex";
            writeHex(file, frame);
            writeText("frames/" + name + "." + suffix + ".expect.json", Json.write(expect));
            addFixture(file, "frame", frame, description + " [" + type.name() + " header]");

            if (name.equals("get_routeinfo_by_topic_request") && type == SerializeType.ROCKETMQ) {
                check(hex(frame).equals(APPENDIX_A_ROUTE_FRAME), "Appendix A route frame mismatch: " + hex(frame));
            }
            if (name.equals("send_message_v2_minimal_request") && type == SerializeType.JSON) {
                int headerLen = ByteBuffer.wrap(frame, 4, 4).getInt() & 0xFFFFFF;
                int length = ByteBuffer.wrap(frame, 0, 4).getInt();
                String header = new String(frame, 8, headerLen, StandardCharsets.UTF_8);
                notes.add("send_message_v2_minimal JSON header (" + headerLen + " bytes, length field " + length + "): "
                    + header);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ records

    private void records() throws Exception {
        MessageExt a = baseRecord("T", bytes("hello"));
        a.setQueueId(1);
        a.setQueueOffset(5);
        a.setCommitLogOffset(1000);
        a.setBornHost(v4(10, 0, 0, 1, 50000));
        a.setStoreHost(v4(10, 0, 0, 2, 10911));
        a.setBornTimestamp(T0);
        a.setStoreTimestamp(T0 + 100);
        MessageAccessor.setProperties(a, new HashMap<>(Collections.singletonMap("TAGS", "a")));
        byte[] aBytes = record("appendix_a",
            "protocol Appendix A stored record: topic T, body hello, queueId 1, queueOffset 5, commitLogOffset 1000, "
                + "IPv4 hosts 10.0.0.1:50000 / 10.0.0.2:10911, properties {TAGS=a}", a);
        check(hex(aBytes).equals(APPENDIX_A_RECORD), "Appendix A record mismatch: " + hex(aBytes));

        MessageExt v6 = baseRecord("TopicV6", bytes("hello v6"));
        v6.setSysFlag(MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG);
        v6.setBornHost(new InetSocketAddress(InetAddress.getByName("fd00::1"), 50001));
        v6.setStoreHost(new InetSocketAddress(InetAddress.getByName("fd00::2"), 10911));
        props(v6, "TAGS", "v6", "KEYS", "k6", "UNIQ_KEY", UNIQ, "WAIT", "true");
        record("ipv6_hosts",
            "IPv6 born and store hosts (sysFlag 0x30 = BORNHOST_V6|STOREHOSTADDRESS_V6, 16-byte addresses, record "
                + "24 bytes longer than IPv4, offsetMsgId 56 hex). MessageDecoder.encode of 4.7.1 writes v6 hosts "
                + "correctly (address bytes from InetAddress, length chosen by the sysFlag bits). Host strings use "
                + "Java InetAddress.getHostAddress() form (uncompressed, e.g. fd00:0:0:0:0:0:0:1) + ':' + port", v6);

        byte[] plain = bytes(repeat("compress me please; ", 300));
        byte[] zipped = UtilAll.compress(plain, 5);
        MessageExt z = baseRecord("TopicZ", zipped);
        z.setSysFlag(MessageSysFlag.COMPRESSED_FLAG);
        props(z, "TAGS", "zip", "UNIQ_KEY", UNIQ, "WAIT", "true");
        record("compressed_body",
            "compressed body (sysFlag 1): bodyHex is the STORED zlib stream = UtilAll.compress(body, 5) of "
                + plain.length + " bytes of 'compress me please; ' x300 (bodyCRC is over the compressed bytes; "
                + "clients inflate on decode)", z);

        MessageExt e = baseRecord("TopicEmpty", new byte[0]);
        props(e, "TAGS", "empty", "WAIT", "true");
        record("empty_body", "empty body (BODYLENGTH 0); a Java decoder then leaves body == null", e);

        MessageExt u = baseRecord("TopicUnicode", bytes("h\u00e9llo \u4e16\u754c"));
        props(u, "TAGS", "\u6807\u7b7e", "KEYS", "\u952e1 \u043a\u043b\u044e\u0447", "\u7528\u6237\u5c5e\u6027",
            "\u503c \u00e9\u00e8", "UNIQ_KEY", UNIQ, "WAIT", "true");
        record("unicode_properties",
            "ASCII topic, non-ASCII body, tag, keys, user property name and value (properties length counts UTF-8 "
                + "bytes)", u);

        MessageExt r = baseRecord("%RETRY%cg", bytes("retry me"));
        r.setReconsumeTimes(3);
        r.setPreparedTransactionOffset(123456789L);
        r.setSysFlag(MessageSysFlag.TRANSACTION_COMMIT_TYPE);
        r.setFlag(7);
        props(r, "RETRY_TOPIC", "T", "ORIGIN_MESSAGE_ID", UNIQ, "DELAY", "6", "REAL_TOPIC", "%RETRY%cg",
            "REAL_QID", "0", "WAIT", "false", "UNIQ_KEY", UNIQ);
        record("reconsume_prepared",
            "reconsumeTimes 3, preparedTransactionOffset 123456789, sysFlag 8 (TRANSACTION_COMMIT_TYPE), flag 7, "
                + "retry-style properties", r);
    }

    private static MessageExt baseRecord(String topic, byte[] storedBody) throws Exception {
        MessageExt m = new MessageExt();
        m.setTopic(topic);
        m.setBody(storedBody);
        m.setBodyCRC(UtilAll.crc32(storedBody));
        m.setQueueId(2);
        m.setFlag(0);
        m.setQueueOffset(17);
        m.setCommitLogOffset(67108864L + 4096);
        m.setSysFlag(0);
        m.setBornTimestamp(T0 + 1);
        m.setBornHost(v4(127, 0, 0, 1, 54321));
        m.setStoreTimestamp(T0 + 2);
        m.setStoreHost(v4(127, 0, 0, 1, 10911));
        m.setReconsumeTimes(0);
        m.setPreparedTransactionOffset(0);
        return m;
    }

    private byte[] record(String name, String description, MessageExt m) throws Exception {
        byte[] rec = MessageDecoder.encode(m, false);
        check(ByteBuffer.wrap(rec).getInt() == rec.length, "storeSize mismatch for " + name);
        String propertiesString = MessageDecoder.messageProperties2String(m.getProperties());
        MessageClientExt d = (MessageClientExt) MessageDecoder.clientDecode(ByteBuffer.wrap(rec), true);
        check(d != null, "decode failed for " + name);
        check(d.getTopic().equals(m.getTopic()) && d.getQueueOffset() == m.getQueueOffset()
            && d.getCommitLogOffset() == m.getCommitLogOffset() && d.getSysFlag() == m.getSysFlag()
            && d.getBornHost().equals(m.getBornHost()) && d.getStoreHost().equals(m.getStoreHost())
            && d.getReconsumeTimes() == m.getReconsumeTimes()
            && d.getPreparedTransactionOffset() == m.getPreparedTransactionOffset(), "round trip failed " + name);
        byte[] expectedBody = (m.getSysFlag() & MessageSysFlag.COMPRESSED_FLAG) != 0
            ? UtilAll.uncompress(m.getBody()) : m.getBody();
        byte[] decodedBody = d.getBody() == null ? new byte[0] : d.getBody();
        check(Arrays.equals(expectedBody, decodedBody), "body round trip failed " + name);

        Map<String, Object> x = new LinkedHashMap<>();
        x.put("storeSize", rec.length);
        x.put("magicCode", MessageDecoder.MESSAGE_MAGIC_CODE);
        x.put("bodyCRC", m.getBodyCRC());
        x.put("queueId", m.getQueueId());
        x.put("flag", m.getFlag());
        x.put("queueOffset", m.getQueueOffset());
        x.put("commitLogOffset", m.getCommitLogOffset());
        x.put("sysFlag", m.getSysFlag());
        x.put("bornTimestamp", m.getBornTimestamp());
        x.put("bornHost", hostString((InetSocketAddress) m.getBornHost()));
        x.put("storeTimestamp", m.getStoreTimestamp());
        x.put("storeHost", hostString((InetSocketAddress) m.getStoreHost()));
        x.put("reconsumeTimes", m.getReconsumeTimes());
        x.put("preparedTransactionOffset", m.getPreparedTransactionOffset());
        x.put("bodyHex", hex(m.getBody()));
        x.put("topic", m.getTopic());
        x.put("propertiesString", propertiesString);
        x.put("properties", new TreeMap<String, Object>(d.getProperties()));
        x.put("offsetMsgId", d.getOffsetMsgId());

        String file = "records/" + name + ".hex";
        writeHex(file, rec);
        writeText("records/" + name + ".expect.json", Json.write(x));
        addFixture(file, "record", rec, description);
        return rec;
    }

    private static MessageExt pulledRecord(long queueOffset, long commitLogOffset, String body) {
        try {
            MessageExt m = baseRecord("T", bytes(body));
            m.setQueueId(1);
            m.setQueueOffset(queueOffset);
            m.setCommitLogOffset(commitLogOffset);
            props(m, "TAGS", "a", "UNIQ_KEY", UNIQ, "WAIT", "true", "CLUSTER", "DefaultCluster");
            return m;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ batches

    private void batches() throws Exception {
        List<Message> msgs = new ArrayList<>();
        Message m0 = new Message("TopicBatch", "TagA", "k0", bytes("batch-0"));
        MessageAccessor.putProperty(m0, MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX,
            "0A00000112345678ABCD000000010001");
        Message m1 = new Message("TopicBatch", "TagB", "k1 k1b", bytes("batch-1 \u00e9"));
        m1.setFlag(5);
        MessageAccessor.putProperty(m1, MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX,
            "0A00000112345678ABCD000000010002");
        Message m2 = new Message("TopicBatch", "TagC", "k2", new byte[0]);
        MessageAccessor.putProperty(m2, MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX,
            "0A00000112345678ABCD000000010003");
        msgs.add(m0);
        msgs.add(m1);
        msgs.add(m2);
        batch("three_messages",
            "MessageDecoder.encodeMessages of 3 messages (tags TagA/TagB/TagC, different keys, flag 0/5/0, the "
                + "third with an empty body); each element carries its own TAGS/KEYS/WAIT/UNIQ_KEY", msgs);

        Message x = new Message();
        x.setTopic("T");
        x.setBody(bytes("x"));
        MessageAccessor.putProperty(x, "TAGS", "a");
        byte[] one = batch("appendix_a_single",
            "protocol Appendix A batch element: body \"x\", properties {TAGS=a} (no WAIT: built with new Message())",
            Collections.singletonList(x));
        check(hex(one).equals(APPENDIX_A_BATCH), "Appendix A batch mismatch: " + hex(one));
    }

    private byte[] batch(String name, String description, List<Message> msgs) throws Exception {
        byte[] blob = MessageDecoder.encodeMessages(msgs);
        List<Message> decoded = MessageDecoder.decodeMessages(ByteBuffer.wrap(blob));
        check(decoded.size() == msgs.size(), "batch decode count");
        List<Object> expect = new ArrayList<>();
        for (int i = 0; i < msgs.size(); i++) {
            Message m = msgs.get(i);
            Message d = decoded.get(i);
            check(Arrays.equals(m.getBody(), d.getBody()) && m.getFlag() == d.getFlag()
                && m.getProperties().equals(d.getProperties()), "batch round trip " + name);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("flag", d.getFlag());
            e.put("bodyHex", hex(d.getBody()));
            e.put("properties", new TreeMap<String, Object>(d.getProperties()));
            expect.add(e);
        }
        String file = "batches/" + name + ".hex";
        writeHex(file, blob);
        writeText("batches/" + name + ".expect.json", Json.write(expect));
        addFixture(file, "batch", blob, description);
        return blob;
    }

    // ------------------------------------------------------------------------------------------------ bodies

    private void bodies() throws Exception {
        body("topic_route_data", "TopicRouteData.encode(): 2 queueDatas, brokerAddrs {0,1} (unquoted Long keys), "
            + "filterServerTable with one list (a null list would be dropped)", topicRouteData().encode());

        ClusterInfo ci = new ClusterInfo();
        HashMap<String, BrokerData> bat = new HashMap<>();
        bat.put("broker-a", brokerData("broker-a", "127.0.0.1:10911", "127.0.0.1:10921"));
        bat.put("broker-b", brokerData("broker-b", "127.0.0.1:10931", null));
        ci.setBrokerAddrTable(bat);
        HashMap<String, java.util.Set<String>> cat = new HashMap<>();
        cat.put("DefaultCluster", new HashSet<>(Arrays.asList("broker-a", "broker-b")));
        ci.setClusterAddrTable(cat);
        body("cluster_info", "ClusterInfo.encode() (GET_BROKER_CLUSTER_INFO body), two brokers, one cluster",
            ci.encode());

        body("heartbeat_data", "HeartbeatData.encode(): producer pg, push consumer cg (CLUSTERING, "
            + "CONSUME_FROM_LAST_OFFSET) subscribed to T with \"a || b\" (codeSet = String.hashCode of tags)",
            heartbeatData().encode());

        body("register_broker_body", "RegisterBrokerBody.encode(false) (REGISTER_BROKER body, uncompressed)",
            registerBrokerBody().encode(false));

        TopicConfigSerializeWrapper w = topicConfigWrapper();
        body("topic_config_serialize_wrapper", "TopicConfigSerializeWrapper.encode() (GET_ALL_TOPIC_CONFIG body)",
            w.encode());
        body("topics_json_pretty", "TopicConfigSerializeWrapper.toJson(true): fastjson PrettyFormat (tabs) exactly "
            + "as the broker writes store/config/topics.json", w.toJson(true).getBytes(StandardCharsets.UTF_8));

        // ConsumerOffsetManager lives in rocketmq-broker (test scope) -> loaded reflectively
        try {
            Class<?> com = Class.forName("org.apache.rocketmq.broker.offset.ConsumerOffsetManager");
            Object mgr = com.getConstructor().newInstance();
            @SuppressWarnings("unchecked")
            ConcurrentMap<String, ConcurrentMap<Integer, Long>> table =
                (ConcurrentMap<String, ConcurrentMap<Integer, Long>>) com.getMethod("getOffsetTable").invoke(mgr);
            ConcurrentMap<Integer, Long> q = new ConcurrentHashMap<>();
            q.put(0, 3L);
            q.put(1, 4L);
            table.put("T@g", q);
            String compact = (String) com.getMethod("encode", boolean.class).invoke(mgr, false);
            String pretty = (String) com.getMethod("encode", boolean.class).invoke(mgr, true);
            body("consumer_offset", "ConsumerOffsetManager.encode(false): {\"offsetTable\":{\"T@g\":{0:3,1:4}}} "
                + "(unquoted Integer keys; same shape as GET_ALL_CONSUMER_OFFSET body)",
                compact.getBytes(StandardCharsets.UTF_8));
            body("consumer_offset_pretty", "ConsumerOffsetManager.encode(true): as written to "
                + "store/config/consumerOffset.json", pretty.getBytes(StandardCharsets.UTF_8));
        } catch (ClassNotFoundException e) {
            notes.add("rocketmq-broker not on classpath: consumer_offset bodies skipped");
        }

        LockBatchRequestBody lock = new LockBatchRequestBody();
        lock.setClientId("127.0.0.1@cid");
        lock.setConsumerGroup("cg");
        lock.getMqSet().add(new MessageQueue("T", "broker-a", 0));
        lock.getMqSet().add(new MessageQueue("T", "broker-a", 1));
        body("lock_batch_request", "LockBatchRequestBody.encode() (LOCK_BATCH_MQ body), two queues", lock.encode());

        TopicStatsTable tst = new TopicStatsTable();
        tst.getOffsetTable().put(new MessageQueue("T", "broker-a", 0), topicOffset(0, 100, T0));
        tst.getOffsetTable().put(new MessageQueue("T", "broker-a", 1), topicOffset(2, 7, T0 + 5));
        body("topic_stats_table", "TopicStatsTable.encode() (GET_TOPIC_STATS_INFO body): MessageQueue objects as "
            + "map keys", tst.encode());

        ConsumeStats cs = new ConsumeStats();
        cs.setConsumeTps(1.5);
        cs.getOffsetTable().put(new MessageQueue("T", "broker-a", 0), offsetWrapper(100, 90, T0));
        cs.getOffsetTable().put(new MessageQueue("T", "broker-a", 1), offsetWrapper(7, 7, 0));
        body("consume_stats", "ConsumeStats.encode() (GET_CONSUME_STATS body): consumeTps double, MessageQueue keys",
            cs.encode());

        KVTable kv = new KVTable();
        kv.getTable().put("brokerVersion", "355");
        kv.getTable().put("brokerVersionDesc", "V4_7_1");
        kv.getTable().put("putTps", "0.0 0.0 0.0");
        kv.getTable().put("remark", "quote \" and \u00e9");
        body("kv_table", "KVTable.encode() (GET_BROKER_RUNTIME_INFO-style body)", kv.encode());

        GetConsumerListByGroupResponseBody cl = new GetConsumerListByGroupResponseBody();
        cl.setConsumerIdList(Arrays.asList("127.0.0.1@c1", "127.0.0.1@c2"));
        body("consumer_list_by_group", "GetConsumerListByGroupResponseBody.encode() (GET_CONSUMER_LIST_BY_GROUP)",
            cl.encode());

        SubscriptionGroupConfig sgc = new SubscriptionGroupConfig();
        sgc.setGroupName("cg");
        body("subscription_group_config", "RemotingSerializable.encode(SubscriptionGroupConfig) with defaults "
            + "(UPDATE_AND_CREATE_SUBSCRIPTIONGROUP body)", RemotingSerializable.encode(sgc));

        DataVersion dv = dataVersion(3);
        body("data_version", "DataVersion.encode() {counter (AtomicLong), timestamp}", dv.encode());
    }

    private void body(String name, String description, byte[] data) throws IOException {
        String file = "bodies/" + name + ".json";
        Path p = out.resolve(file);
        Files.write(p, data);
        addFixture(file, "body", data, description);
        // sanity: fastjson can parse what it wrote
        JSON.parse(new String(data, StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------------ model

    private static TopicRouteData topicRouteData() {
        TopicRouteData r = new TopicRouteData();
        List<QueueData> qds = new ArrayList<>();
        qds.add(queueData("broker-a", 4, 4, 6));
        qds.add(queueData("broker-b", 8, 8, 4));
        r.setQueueDatas(qds);
        List<BrokerData> bds = new ArrayList<>();
        bds.add(brokerData("broker-a", "127.0.0.1:10911", "127.0.0.1:10921"));
        bds.add(brokerData("broker-b", "127.0.0.1:10931", null));
        r.setBrokerDatas(bds);
        HashMap<String, List<String>> fst = new HashMap<>();
        fst.put("127.0.0.1:10911", new ArrayList<>(Collections.singletonList("127.0.0.1:30000")));
        r.setFilterServerTable(fst);
        return r;
    }

    private static QueueData queueData(String broker, int r, int w, int perm) {
        QueueData q = new QueueData();
        q.setBrokerName(broker);
        q.setReadQueueNums(r);
        q.setWriteQueueNums(w);
        q.setPerm(perm);
        q.setTopicSynFlag(0);
        return q;
    }

    private static BrokerData brokerData(String name, String master, String slave) {
        HashMap<Long, String> addrs = new HashMap<>();
        addrs.put(0L, master);
        if (slave != null) {
            addrs.put(1L, slave);
        }
        return new BrokerData("DefaultCluster", name, addrs);
    }

    private static HeartbeatData heartbeatData() {
        HeartbeatData hb = new HeartbeatData();
        hb.setClientID("127.0.0.1@12345");
        ProducerData pd = new ProducerData();
        pd.setGroupName("pg");
        hb.getProducerDataSet().add(pd);
        ConsumerData cd = new ConsumerData();
        cd.setGroupName("cg");
        cd.setConsumeType(ConsumeType.CONSUME_PASSIVELY);
        cd.setMessageModel(MessageModel.CLUSTERING);
        cd.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET);
        cd.setUnitMode(false);
        try {
            SubscriptionData sd = FilterAPI.buildSubscriptionData("cg", "T", "a || b");
            sd.setSubVersion(T0);
            cd.getSubscriptionDataSet().add(sd);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        hb.getConsumerDataSet().add(cd);
        return hb;
    }

    private static DataVersion dataVersion(long counter) {
        DataVersion dv = new DataVersion();
        dv.setTimestamp(T0);
        dv.setCounter(new AtomicLong(counter));
        return dv;
    }

    private static TopicConfigSerializeWrapper topicConfigWrapper() {
        TopicConfigSerializeWrapper w = new TopicConfigSerializeWrapper();
        ConcurrentMap<String, TopicConfig> t = new ConcurrentHashMap<>();
        t.put("T", new TopicConfig("T", 4, 4, 6));
        TopicConfig tbw = new TopicConfig("TBW102", 8, 8, 7);
        t.put("TBW102", tbw);
        TopicConfig retry = new TopicConfig("%RETRY%cg", 1, 1, 6);
        t.put("%RETRY%cg", retry);
        w.setTopicConfigTable(t);
        w.setDataVersion(dataVersion(3));
        return w;
    }

    private static RegisterBrokerBody registerBrokerBody() {
        RegisterBrokerBody b = new RegisterBrokerBody();
        b.setTopicConfigSerializeWrapper(topicConfigWrapper());
        b.setFilterServerList(new ArrayList<>());
        return b;
    }

    private static TopicOffset topicOffset(long min, long max, long ts) {
        TopicOffset o = new TopicOffset();
        o.setMinOffset(min);
        o.setMaxOffset(max);
        o.setLastUpdateTimestamp(ts);
        return o;
    }

    private static OffsetWrapper offsetWrapper(long broker, long consumer, long ts) {
        OffsetWrapper o = new OffsetWrapper();
        o.setBrokerOffset(broker);
        o.setConsumerOffset(consumer);
        o.setLastTimestamp(ts);
        return o;
    }

    // ------------------------------------------------------------------------------------------------ util

    private static void props(Message m, String... kv) {
        HashMap<String, String> map = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        MessageAccessor.setProperties(m, map);
    }

    private static InetSocketAddress v4(int a, int b, int c, int d, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}), port);
    }

    private static String hostString(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String repeat(String s, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(s);
        }
        return sb.toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }

    static String sha256(byte[] data) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    private void writeHex(String file, byte[] data) throws IOException {
        writeText(file, hex(data) + "\n");
    }

    private void writeText(String file, String text) throws IOException {
        Files.write(out.resolve(file), text.getBytes(StandardCharsets.UTF_8));
    }

    private void addFixture(String file, String kind, byte[] decoded, String description) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("file", file);
        f.put("kind", kind);
        f.put("sha256", sha256(decoded));
        f.put("description", description);
        fixtures.add(f);
    }

    private void writeManifest() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator", SOURCE_PATH);
        m.put("rocketmqVersion", "4.7.1");
        List<Object> jars = new ArrayList<>();
        jars.add(jar(RemotingCommand.class));
        jars.add(jar(MessageDecoder.class));
        jars.add(jar(JSON.class));
        m.put("jars", jars);
        m.put("fixtures", fixtures);
        writeText("manifest.json", Json.write(m));
    }

    private static Map<String, Object> jar(Class<?> cls) throws IOException, URISyntaxException {
        Path p = Paths.get(cls.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", p.getFileName().toString());
        try (InputStream in = Files.newInputStream(p)) {
            j.put("sha256", sha256(in.readAllBytes()));
        }
        return j;
    }
}

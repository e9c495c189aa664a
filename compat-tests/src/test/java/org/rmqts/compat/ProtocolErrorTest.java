package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Raw-socket robustness checks against both servers: broken frames close only the offending connection; a valid
 * client on another connection keeps working.
 */
class ProtocolErrorTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create();

    static Stream<Arguments> brokenFrames() {
        byte[] http = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        // length field 16 MiB + 1: above NettyDecoder's default frameMaxLength (16777216)
        ByteBuffer tooLong = ByteBuffer.allocate(16);
        tooLong.putInt(16 * 1024 * 1024 + 1).putInt(0x00000008).put("{\"code\":".getBytes(StandardCharsets.US_ASCII));

        // frame of 8 bytes whose header length claims 100 bytes
        ByteBuffer headerBeyond = ByteBuffer.allocate(12);
        headerBeyond.putInt(8).putInt(100).put(new byte[] {'{', '}', ' ', ' '});

        byte[] validHeader = "{\"code\":105,\"extFields\":{\"topic\":\"TBW102\"},\"flag\":0,\"language\":\"JAVA\",\"opaque\":5,\"version\":355}"
            .getBytes(StandardCharsets.UTF_8);
        byte[] type7 = Raw.frame(7, validHeader, null);

        byte[] notJson = Raw.frame(0, "{{{{ this is not json".getBytes(StandardCharsets.US_ASCII), null);

        String[] targets = {"namesrv", "broker"};
        Object[][] cases = {
            {"http-garbage", http},
            {"length-over-16MiB", tooLong.array()},
            {"header-length-beyond-frame", headerBeyond.array()},
            {"serialize-type-7", type7},
            {"json-header-not-json", notJson},
        };
        return Arrays.stream(targets).flatMap(t -> Arrays.stream(cases).map(c -> Arguments.of(t, c[0], c[1])));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("brokenFrames")
    void brokenFrameClosesOnlyThatConnection(String target, String caseName, byte[] bytes) throws Exception {
        int port = target.equals("namesrv") ? fx.servers().nsPort() : fx.servers().brokerPort();
        try (Raw healthy = Raw.connect(port); Raw bad = Raw.connect(port)) {
            assertAlive(target, healthy);
            bad.write(bytes);
            assertTrue(bad.awaitClosedByPeer(5000), target + " closes the connection after " + caseName);
            // the other, already open connection is unaffected, and so is a new one
            assertAlive(target, healthy);
        }
        try (Raw fresh = Raw.connect(port)) {
            assertAlive(target, fresh);
        }
    }

    @Test
    void realClientStillWorksAfterGarbage() throws Exception {
        for (int port : new int[] {fx.servers().nsPort(), fx.servers().brokerPort()}) {
            try (Raw bad = Raw.connect(port)) {
                bad.write(new byte[] {0, 0, 0, 5, 7, 0, 0, 1, 0x41});
                assertTrue(bad.awaitClosedByPeer(5000), "connection closed after a bad serialize type");
            }
        }
        DefaultMQProducer p = Compat.producer(fx.servers(), Compat.unique("pg_err"));
        try {
            SendResult r = p.send(new Message(Compat.unique("ErrTopic"), "ok".getBytes(StandardCharsets.UTF_8)));
            assertEquals(SendStatus.SEND_OK, r.getSendStatus());
        } finally {
            p.shutdown();
        }
    }

    /**
     * Beyond Java: the Java 4.7.1 NameServer and broker silently drop unknown request codes (their default processors
     * return null), so a Java peer would wait for its timeout. Our servers answer REQUEST_CODE_NOT_SUPPORTED (3).
     */
    @Test
    void unknownRequestCodeIsAnsweredWithCode3() throws Exception {
        Assumptions.assumeTrue(Servers.target() == Servers.Target.TS,
            "ts-only: Java 4.7.1 does not answer unknown request codes");
        for (int port : new int[] {fx.servers().nsPort(), fx.servers().brokerPort()}) {
            try (Raw raw = Raw.connect(port)) {
                int opaque = Raw.nextOpaque();
                raw.write(Raw.jsonFrame(9999, opaque, 0, null, null));
                Raw.Cmd r = raw.readResponse(opaque, 5000);
                assertEquals(3, r.code, "REQUEST_CODE_NOT_SUPPORTED from port " + port + ": " + r);
                assertEquals(opaque, r.opaque);
                assertEquals(1, r.flag & 1, "response flag");
                assertAlive(port == fx.servers().nsPort() ? "namesrv" : "broker", raw);
            }
        }
    }

    /** Java's answer is the oracle: a 5 MiB body exceeds maxMessageSize (4 MiB) -> MESSAGE_ILLEGAL (13). */
    @Test
    void oversizedMessageIsRejectedWithMessageIllegal() throws Exception {
        String topic = Compat.unique("BigTopic");
        try (Raw raw = Raw.connect(fx.servers().brokerPort())) {
            byte[] body = new byte[5 * 1024 * 1024];
            Arrays.fill(body, (byte) 'x');
            int opaque = Raw.nextOpaque();
            raw.write(Raw.jsonFrame(310, opaque, 0, sendHeader(topic), body));
            Raw.Cmd r = raw.readResponse(opaque, 15_000);
            assertEquals(13, r.code, "MESSAGE_ILLEGAL for a 5 MiB body: " + r);
            assertEquals(1, r.flag & 1);
            assertNotNull(r.remark, "remark explains the rejection");

            // the same connection still works: a small message is stored
            int opaque2 = Raw.nextOpaque();
            raw.write(Raw.jsonFrame(310, opaque2, 0, sendHeader(topic), "small".getBytes(StandardCharsets.UTF_8)));
            Raw.Cmd ok = raw.readResponse(opaque2, 15_000);
            assertEquals(0, ok.code, "small message after the rejected one: " + ok);
            assertNotNull(ok.ext, "send response has extFields");
            assertNotNull(ok.ext.get("msgId"), "send response msgId");
            assertEquals("0", ok.ext.get("queueOffset"), "the rejected message did not take a queue offset");
        }
    }

    private static Map<String, String> sendHeader(String topic) {
        Map<String, String> h = new HashMap<>();
        h.put("a", "pg_raw");
        h.put("b", topic);
        h.put("c", "TBW102");
        h.put("d", "4");
        h.put("e", "0");
        h.put("f", "0");
        h.put("g", Long.toString(System.currentTimeMillis()));
        h.put("h", "0");
        h.put("i", "WAIT\u0001true\u0002");
        h.put("j", "0");
        h.put("k", "false");
        h.put("m", "false");
        return h;
    }

    /** A valid request on {@code raw} gets its response (namesrv: GET_ROUTEINFO_BY_TOPIC TBW102, broker: HEART_BEAT). */
    private static void assertAlive(String target, Raw raw) throws Exception {
        Raw.Cmd r;
        if (target.equals("namesrv")) {
            r = raw.call(105, Collections.singletonMap("topic", "TBW102"), null, 5000);
            assertEquals(0, r.code, "namesrv answers GET_ROUTEINFO_BY_TOPIC(TBW102): " + r);
        } else {
            byte[] hb = ("{\"clientID\":\"127.0.0.1@raw\",\"consumerDataSet\":[],"
                + "\"producerDataSet\":[{\"groupName\":\"pg_raw\"}]}").getBytes(StandardCharsets.UTF_8);
            r = raw.call(34, null, hb, 5000);
            assertEquals(0, r.code, "broker answers HEART_BEAT: " + r);
        }
    }
}

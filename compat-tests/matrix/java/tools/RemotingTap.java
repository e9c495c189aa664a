import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A RocketMQ remoting tap for checks by hand: relays a NameServer and a broker on loopback ports and prints one
 * line per frame (direction, code, opaque, request/response, serialize type JSON|ROCKETMQ, ext fields). Route
 * answers of the NameServer are rewritten to name the tapped broker, so all of a client's broker traffic passes
 * through. Runs for --seconds (default 120), then exits.
 *
 * <pre>java tools/RemotingTap.java --namesrv 127.0.0.1:P --broker 127.0.0.1:Q [--seconds N] &gt; tap.log</pre>
 * prints "TAP NAMESRV 127.0.0.1:p BROKER 127.0.0.1:q" first; give those to the client instead.
 */
public final class RemotingTap {
    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
    private static final Pattern JSON_INT = Pattern.compile("\"(code|opaque|flag)\":(-?\\d+)");
    private static final Pattern JSON_EXT = Pattern.compile("\"extFields\":(\\{[^}]*\\})");
    private static final PrintStream OUT = System.out;

    private final String realBroker;
    private String tapBroker;

    private RemotingTap(String realBroker) {
        this.realBroker = realBroker;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        RemotingTap tap = new RemotingTap(options.get("--broker"));
        ServerSocket namesrv = listen();
        ServerSocket broker = listen();
        tap.tapBroker = "127.0.0.1:" + broker.getLocalPort();
        tap.accept(namesrv, "N", options.get("--namesrv"), true);
        tap.accept(broker, "B", options.get("--broker"), false);
        OUT.println("TAP NAMESRV 127.0.0.1:" + namesrv.getLocalPort() + " BROKER " + tap.tapBroker);
        OUT.flush();
        Thread.sleep(Long.parseLong(options.getOrDefault("--seconds", "120")) * 1000L);
        System.exit(0);
    }

    private static ServerSocket listen() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    private void accept(ServerSocket server, String name, String upstream, boolean rewriteRoutes) {
        daemon(() -> {
            int connection = 0;
            while (true) {
                Socket client = server.accept();
                String[] hostPort = upstream.split(":");
                Socket remote = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
                String label = name + (++connection);
                daemon(() -> relay(client, remote, "client>" + label, false));
                daemon(() -> relay(remote, client, label + ">client", rewriteRoutes));
            }
        });
    }

    private interface Job {
        void run() throws Exception;
    }

    private static void daemon(Job job) {
        Thread thread = new Thread(() -> {
            try {
                job.run();
            } catch (Exception e) {
                // a closed connection ends its relay
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    private void relay(Socket from, Socket to, String direction, boolean rewriteRoutes) throws IOException {
        try (from; to) {
            DataInputStream in = new DataInputStream(from.getInputStream());
            DataOutputStream out = new DataOutputStream(to.getOutputStream());
            while (true) {
                int length = in.readInt();
                if (length < 4 || length > MAX_FRAME_BYTES) {
                    throw new IOException("bad frame length " + length);
                }
                byte[] frame = new byte[length];
                in.readFully(frame);
                byte[] forwarded = rewriteRoutes ? rewriteBroker(frame) : frame;
                log(direction, frame, forwarded != frame);
                out.writeInt(forwarded.length);
                out.write(forwarded);
                out.flush();
            }
        }
    }

    /** The frame with the real broker address in its body replaced by the tap's (header untouched). */
    private byte[] rewriteBroker(byte[] frame) {
        int headerLength = ByteBuffer.wrap(frame).getInt() & 0xFFFFFF;
        String body = new String(frame, 4 + headerLength, frame.length - 4 - headerLength, StandardCharsets.UTF_8);
        if (!body.contains(realBroker)) {
            return frame;
        }
        byte[] newBody = body.replace(realBroker, tapBroker).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + headerLength + newBody.length).put(frame, 0, 4 + headerLength).put(newBody)
            .array();
    }

    private static void log(String direction, byte[] frame, boolean rewritten) {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        int typeAndLength = buffer.getInt();
        int serializeType = typeAndLength >>> 24;
        int headerLength = typeAndLength & 0xFFFFFF;
        String header = serializeType == 0 ? describeJson(new String(frame, 4, headerLength, StandardCharsets.UTF_8))
            : describeBinary(ByteBuffer.wrap(frame, 4, headerLength));
        String line = direction + " " + (serializeType == 0 ? "JSON" : serializeType == 1 ? "ROCKETMQ" : "TYPE"
            + serializeType) + " " + header + " body=" + (frame.length - 4 - headerLength)
            + (rewritten ? " (broker address rewritten)" : "");
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }

    private static String describeJson(String header) {
        StringBuilder out = new StringBuilder();
        Matcher ints = JSON_INT.matcher(header);
        while (ints.find()) {
            out.append(ints.group(1)).append('=').append(flagName(ints.group(1), ints.group(2))).append(' ');
        }
        Matcher ext = JSON_EXT.matcher(header);
        return out.append(ext.find() ? "ext=" + ext.group(1) : "ext={}").toString();
    }

    private static String describeBinary(ByteBuffer header) {
        int code = header.getShort();
        header.get(); // language
        header.getShort(); // version
        int opaque = header.getInt();
        int flag = header.getInt();
        int remarkLength = header.getInt();
        header.position(header.position() + Math.max(0, remarkLength));
        int extLength = header.getInt();
        StringBuilder ext = new StringBuilder("{");
        int extEnd = header.position() + extLength;
        while (extLength > 0 && header.position() < extEnd) {
            byte[] key = new byte[header.getShort()];
            header.get(key);
            byte[] value = new byte[header.getInt()];
            header.get(value);
            ext.append(ext.length() > 1 ? "," : "").append(new String(key, StandardCharsets.UTF_8)).append('=')
                .append(new String(value, StandardCharsets.UTF_8));
        }
        return "code=" + code + " opaque=" + opaque + " flag=" + flagName("flag", String.valueOf(flag)) + " ext="
            + ext.append('}');
    }

    private static String flagName(String field, String value) {
        if (!field.equals("flag")) {
            return value;
        }
        int flag = Integer.parseInt(value);
        return ((flag & 1) != 0 ? "response" : "request") + ((flag & 2) != 0 ? "+oneway" : "");
    }
}

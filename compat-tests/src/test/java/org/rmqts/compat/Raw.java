package org.rmqts.compat;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.alibaba.fastjson.JSON;
import com.alibaba.fastjson.JSONObject;

/**
 * A deliberately small RocketMQ remoting client on a plain socket (no Netty, no RemotingCommand): builds JSON
 * frames by hand so the ProtocolErrorTest can also send broken ones, and reads/decodes response frames of both
 * serialize types.
 */
public final class Raw implements Closeable {
    private static final AtomicInteger OPAQUE = new AtomicInteger(1_000_000);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private Raw(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static Raw connect(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
        return new Raw(s);
    }

    public static int nextOpaque() {
        return OPAQUE.incrementAndGet();
    }

    /** A decoded remoting command. */
    public static final class Cmd {
        public int serializeType;
        public int code;
        public int opaque;
        public int flag;
        public int version;
        public String language;
        public String remark;
        public Map<String, String> ext;
        public byte[] body;

        @Override
        public String toString() {
            return "Cmd{type=" + serializeType + ", code=" + code + ", opaque=" + opaque + ", flag=" + flag
                + ", version=" + version + ", remark=" + remark + ", ext=" + ext + ", body="
                + (body == null ? "null" : body.length + " bytes") + "}";
        }
    }

    // ------------------------------------------------------------------------------------------- encode

    /** JSON-header frame exactly as the 4.7.1 client lays it out (length | type+headerLength | header | body). */
    public static byte[] jsonFrame(int code, int opaque, int flag, Map<String, String> ext, byte[] body) {
        StringBuilder h = new StringBuilder();
        h.append("{\"code\":").append(code);
        if (ext != null) {
            h.append(",\"extFields\":{");
            boolean first = true;
            for (Map.Entry<String, String> e : new TreeMap<>(ext).entrySet()) {
                if (!first) {
                    h.append(',');
                }
                first = false;
                h.append(JSON.toJSONString(e.getKey())).append(':').append(JSON.toJSONString(e.getValue()));
            }
            h.append('}');
        }
        h.append(",\"flag\":").append(flag);
        h.append(",\"language\":\"JAVA\",\"opaque\":").append(opaque);
        h.append(",\"serializeTypeCurrentRPC\":\"JSON\",\"version\":355}");
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        return frame(0, header, body);
    }

    /** Frame with an arbitrary serialize-type byte and header bytes. */
    public static byte[] frame(int serializeType, byte[] header, byte[] body) {
        int bodyLen = body == null ? 0 : body.length;
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + header.length + bodyLen);
        b.putInt(4 + header.length + bodyLen);
        b.putInt(((serializeType & 0xFF) << 24) | (header.length & 0xFFFFFF));
        b.put(header);
        if (body != null) {
            b.put(body);
        }
        return b.array();
    }

    // ------------------------------------------------------------------------------------------- io

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a JSON request and waits for the response with the same opaque (other frames are skipped). */
    public Cmd call(int code, Map<String, String> ext, byte[] body, int timeoutMs) throws IOException {
        int opaque = nextOpaque();
        write(jsonFrame(code, opaque, 0, ext, body));
        return readResponse(opaque, timeoutMs);
    }

    public Cmd readResponse(int opaque, int timeoutMs) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new SocketTimeoutException("no response with opaque " + opaque + " within " + timeoutMs + " ms");
            }
            Cmd c = read((int) left);
            if (c.opaque == opaque && (c.flag & 1) == 1) {
                return c;
            }
        }
    }

    public Cmd read(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        int length = in.readInt();
        if (length < 4 || length > 64 * 1024 * 1024) {
            throw new IOException("bad frame length " + length);
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        return decode(frame);
    }

    /** Decodes a frame without its 4-byte length prefix. */
    static Cmd decode(byte[] frame) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(frame);
        int typeAndLen = b.getInt();
        int type = (typeAndLen >>> 24) & 0xFF;
        int headerLen = typeAndLen & 0xFFFFFF;
        byte[] header = new byte[headerLen];
        b.get(header);
        Cmd c = new Cmd();
        c.serializeType = type;
        if (type == 0) {
            JSONObject o = JSON.parseObject(new String(header, StandardCharsets.UTF_8));
            c.code = o.getIntValue("code");
            c.opaque = o.getIntValue("opaque");
            c.flag = o.getIntValue("flag");
            c.version = o.getIntValue("version");
            c.language = o.getString("language");
            c.remark = o.getString("remark");
            JSONObject ext = o.getJSONObject("extFields");
            if (ext != null) {
                c.ext = new HashMap<>();
                for (String k : ext.keySet()) {
                    c.ext.put(k, ext.getString(k));
                }
            }
        } else if (type == 1) {
            ByteBuffer h = ByteBuffer.wrap(header);
            c.code = h.getShort();
            c.language = String.valueOf(h.get());
            c.version = h.getShort();
            c.opaque = h.getInt();
            c.flag = h.getInt();
            int rl = h.getInt();
            if (rl > 0) {
                byte[] r = new byte[rl];
                h.get(r);
                c.remark = new String(r, StandardCharsets.UTF_8);
            }
            int el = h.getInt();
            if (el > 0) {
                c.ext = new HashMap<>();
                int end = h.position() + el;
                while (h.position() < end) {
                    byte[] k = new byte[h.getShort()];
                    h.get(k);
                    byte[] v = new byte[h.getInt()];
                    h.get(v);
                    c.ext.put(new String(k, StandardCharsets.UTF_8), new String(v, StandardCharsets.UTF_8));
                }
            }
        } else {
            throw new IOException("unknown serialize type " + type);
        }
        if (b.remaining() > 0) {
            c.body = new byte[b.remaining()];
            b.get(c.body);
        }
        return c;
    }

    /**
     * Waits until the peer closes the connection (EOF or reset). Any frames the peer sends meanwhile are read and
     * ignored. Returns false if the connection is still open after {@code timeoutMs}.
     */
    public boolean awaitClosedByPeer(int timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        byte[] buf = new byte[8192];
        try {
            InputStream is = socket.getInputStream();
            while (true) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) Math.max(1, left));
                try {
                    if (is.read(buf) < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    return false;
                }
            }
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            // connection reset by peer
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // ignore
        }
    }
}

package org.rmqts.bench;

import java.util.HashMap;
import java.util.Map;

/** `--key value` command-line arguments with defaults. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] argv) {
        for (int i = 0; i + 1 < argv.length; i += 2) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --key value, got " + argv[i]);
            }
            values.put(argv[i].substring(2), argv[i + 1]);
        }
    }

    String str(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    long num(String key, long fallback) {
        String v = values.get(key);
        return v == null ? fallback : Long.parseLong(v);
    }

    /** The benchmark Producer's body: "hello baby" repeated, cut to {@code size} bytes. */
    static byte[] body(int size) {
        StringBuilder sb = new StringBuilder(size + 10);
        while (sb.length() < size) {
            sb.append("hello baby");
        }
        return sb.substring(0, size).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

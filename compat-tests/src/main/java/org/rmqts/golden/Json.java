package org.rmqts.golden;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Tiny deterministic JSON writer for the expect/manifest files (standard RFC 8259 JSON, 2-space indent, map order as
 * given, non-ASCII written raw as UTF-8, control characters escaped). Deliberately independent of fastjson so the
 * expectation files are plain JSON that any JSON.parse accepts.
 */
public final class Json {
    private Json() {
    }

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        sb.append('\n');
        return sb.toString();
    }

    private static void indent(StringBuilder sb, int level) {
        sb.append('\n');
        for (int i = 0; i < level; i++) {
            sb.append("  ");
        }
    }

    @SuppressWarnings("unchecked")
    private static void write(StringBuilder sb, Object value, int level) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String) {
            quote(sb, (String) value);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
            || value instanceof Byte) {
            sb.append(value.toString());
        } else if (value instanceof Boolean) {
            sb.append(value.toString());
        } else if (value instanceof Map) {
            Map<String, Object> map = (Map<String, Object>) value;
            if (map.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            Iterator<Map.Entry<String, Object>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Object> e = it.next();
                indent(sb, level + 1);
                quote(sb, e.getKey());
                sb.append(": ");
                write(sb, e.getValue(), level + 1);
                if (it.hasNext()) {
                    sb.append(',');
                }
            }
            indent(sb, level);
            sb.append('}');
        } else if (value instanceof List) {
            List<Object> list = (List<Object>) value;
            if (list.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                indent(sb, level + 1);
                write(sb, list.get(i), level + 1);
                if (i + 1 < list.size()) {
                    sb.append(',');
                }
            }
            indent(sb, level);
            sb.append(']');
        } else {
            throw new IllegalArgumentException("unsupported JSON value type " + value.getClass());
        }
    }

    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}

package org.rmqts.matrix;

/** What one scenario gave: pass, fail or unsupported, with a one-line detail (compat-tests/matrix/README.md). */
final class Outcome {
    static final int MAX_DETAIL_CHARS = 300;

    final String result;
    final String detail;

    private Outcome(String result, String detail) {
        this.result = result;
        this.detail = oneLine(detail);
    }

    static Outcome pass(String detail) {
        return new Outcome("pass", detail);
    }

    static Outcome fail(String detail) {
        return new Outcome("fail", detail);
    }

    static Outcome unsupported(String detail) {
        return new Outcome("unsupported", detail);
    }

    /** pass(detail) when ok, else fail(detail). */
    static Outcome check(boolean ok, String detail) {
        return ok ? pass(detail) : fail(detail);
    }

    /** A failure from an exception: its class and message. */
    static Outcome failed(Throwable t) {
        return fail(describe(t));
    }

    static String describe(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getClass().getName() + ": " + cause.getMessage();
    }

    /** The MATRIX line for this outcome. */
    String toLine(String scenario, long elapsedMs) {
        return "MATRIX {\"scenario\":" + quote(scenario) + ",\"result\":" + quote(result) + ",\"detail\":"
            + quote(detail) + ",\"ms\":" + elapsedMs + "}";
    }

    private static String oneLine(String text) {
        String flat = String.valueOf(text).replaceAll("[\\r\\n\\t]+", " ").trim();
        return flat.length() <= MAX_DETAIL_CHARS ? flat : flat.substring(0, MAX_DETAIL_CHARS - 3) + "...";
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}

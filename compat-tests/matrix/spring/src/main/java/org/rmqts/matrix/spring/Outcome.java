package org.rmqts.matrix.spring;

/** One scenario's verdict: pass, fail or unsupported, with what was seen (README "Output"). */
public record Outcome(String result, String detail) {
    public static Outcome pass(String detail) {
        return new Outcome("pass", detail);
    }

    public static Outcome fail(String detail) {
        return new Outcome("fail", detail);
    }

    public static Outcome unsupported(String detail) {
        return new Outcome("unsupported", detail);
    }
}

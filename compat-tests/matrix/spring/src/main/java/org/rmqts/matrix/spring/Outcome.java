package org.rmqts.matrix.spring;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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

    /**
     * Pass with {@code passDetail} when no check found a problem (a null problem is none); otherwise fail with
     * "{@code expectation}: problem; problem".
     */
    public static Outcome passUnless(String passDetail, String expectation, String... problems) {
        List<String> found = Arrays.stream(problems).filter(Objects::nonNull).toList();
        return found.isEmpty() ? pass(passDetail) : fail(expectation + ": " + String.join("; ", found));
    }
}

package org.rmqts.bench;

import java.util.Arrays;
import java.util.Locale;

/** Nanosecond samples into a JSON summary: count, percentiles and a log-bucket histogram (ms). */
final class Percentiles {
    private static final double[] BUCKET_MS = {0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

    private Percentiles() {
    }

    static String json(long[] samplesNs, int n) {
        long[] s = Arrays.copyOf(samplesNs, n);
        Arrays.sort(s);
        StringBuilder sb = new StringBuilder("{\"count\":").append(n);
        if (n > 0) {
            double sum = 0;
            for (long v : s) {
                sum += v;
            }
            sb.append(field("mean", sum / n)).append(field("p50", at(s, 0.50))).append(field("p90", at(s, 0.90)))
                .append(field("p99", at(s, 0.99))).append(field("p999", at(s, 0.999)))
                .append(field("max", s[n - 1]));
        }
        sb.append(",\"histogramMs\":{");
        int from = 0;
        for (int b = 0; b <= BUCKET_MS.length; b++) {
            int to = from;
            double limitNs = b < BUCKET_MS.length ? BUCKET_MS[b] * 1e6 : Double.MAX_VALUE;
            while (to < n && s[to] < limitNs) {
                to++;
            }
            String label = b < BUCKET_MS.length ? "<" + trim(BUCKET_MS[b]) : ">=" + trim(BUCKET_MS[b - 1]);
            sb.append(b == 0 ? "" : ",").append('"').append(label).append("\":").append(to - from);
            from = to;
        }
        return sb.append("}}").toString();
    }

    /** Nearest-rank percentile. */
    private static double at(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String field(String name, double ns) {
        return String.format(Locale.ROOT, ",\"%sMs\":%.3f", name, ns / 1e6);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

package org.rmqts.matrix.spring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Comparisons of what was received against what was expected, phrased for a MATRIX detail. */
public final class Checks {
    private Checks() {
    }

    /** Bodies by how often they came. */
    public static Map<String, Integer> counts(Collection<Delivery> deliveries) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Delivery d : deliveries) {
            counts.merge(d.body(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Null when every expected body came exactly once and nothing else came; otherwise what differed
     * ("missing [...]; unexpected [...]; duplicated [...]").
     */
    public static String exactlyOnce(List<String> expected, Collection<Delivery> deliveries) {
        Map<String, Integer> counts = counts(deliveries);
        List<String> missing = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (String body : expected) {
            int n = counts.getOrDefault(body, 0);
            if (n == 0) {
                missing.add(body);
            } else if (n > 1) {
                duplicated.add(body + " x" + n);
            }
        }
        List<String> unexpected = counts.keySet().stream().filter(b -> !expected.contains(b))
            .collect(Collectors.toList());
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add("missing " + shortList(missing));
        }
        if (!unexpected.isEmpty()) {
            problems.add("unexpected " + shortList(unexpected));
        }
        if (!duplicated.isEmpty()) {
            problems.add("duplicated " + shortList(duplicated));
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    public static String shortList(List<?> items) {
        int shown = Math.min(items.size(), 5);
        String head = items.subList(0, shown).stream().map(String::valueOf).collect(Collectors.joining(", "));
        return "[" + head + (items.size() > shown ? ", … " + (items.size() - shown) + " more" : "") + "]";
    }

    /** A string for a detail with control characters shown as \\uXXXX (e.g. a tag with a stray separator). */
    public static String visible(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

package org.rmqts.matrix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compares received bodies with the expected ones: what is missing, unexpected, or came more than once. */
final class BodyCheck {
    final int expected;
    final int received;
    final List<String> missing = new ArrayList<>();
    final Set<String> unexpected = new LinkedHashSet<>();
    final Set<String> duplicated = new LinkedHashSet<>();

    private BodyCheck(Collection<String> expectedBodies, List<String> receivedBodies) {
        this.expected = expectedBodies.size();
        this.received = receivedBodies.size();
        Map<String, Integer> counts = new HashMap<>();
        for (String body : receivedBodies) {
            counts.merge(body, 1, Integer::sum);
        }
        for (String body : expectedBodies) {
            if (!counts.containsKey(body)) {
                missing.add(body);
            }
        }
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            if (!expectedBodies.contains(entry.getKey())) {
                unexpected.add(entry.getKey());
            } else if (entry.getValue() > 1) {
                duplicated.add(entry.getKey());
            }
        }
    }

    static BodyCheck of(Collection<String> expectedBodies, List<String> receivedBodies) {
        return new BodyCheck(expectedBodies, receivedBodies);
    }

    /** Every expected body arrived and nothing else did (duplicates allowed). */
    boolean complete() {
        return missing.isEmpty() && unexpected.isEmpty();
    }

    /** Every expected body arrived exactly once and nothing else did. */
    boolean exact() {
        return complete() && duplicated.isEmpty();
    }

    /** e.g. "10/10 received" or "8/10 received, missing [..], unexpected [..], duplicated [..]". */
    String summary() {
        StringBuilder out = new StringBuilder();
        out.append(expected - missing.size()).append('/').append(expected).append(" received");
        if (received != expected - missing.size()) {
            out.append(" (").append(received).append(" deliveries)");
        }
        if (!missing.isEmpty()) {
            out.append(", missing ").append(firstFew(missing));
        }
        if (!unexpected.isEmpty()) {
            out.append(", unexpected ").append(firstFew(unexpected));
        }
        if (!duplicated.isEmpty()) {
            out.append(", duplicated ").append(firstFew(duplicated));
        }
        return out.toString();
    }

    private static String firstFew(Collection<String> items) {
        List<String> few = new ArrayList<>(items).subList(0, Math.min(3, items.size()));
        return few + (items.size() > 3 ? " +" + (items.size() - 3) + " more" : "");
    }
}

package org.rmqts.matrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The driver's command line: --namesrv --broker --prefix --scenarios (and the column's own --client-version). */
final class DriverArgs {
    String namesrv;
    String broker;
    String prefix;
    String clientVersion = "?";
    String serialize = "JSON";
    final List<String> scenarios = new ArrayList<>();

    static DriverArgs parse(String[] args) {
        DriverArgs parsed = new DriverArgs();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--namesrv" -> parsed.namesrv = value;
                case "--broker" -> parsed.broker = value;
                case "--prefix" -> parsed.prefix = value;
                case "--client-version" -> parsed.clientVersion = value;
                case "--serialize" -> parsed.serialize = value;
                case "--scenarios" -> parsed.scenarios.addAll(Arrays.asList(String.valueOf(value).split(",")));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
            i++;
        }
        parsed.require(parsed.namesrv, "--namesrv");
        parsed.require(parsed.broker, "--broker");
        parsed.require(parsed.prefix, "--prefix");
        parsed.scenarios.removeIf(String::isBlank);
        if (parsed.scenarios.isEmpty()) {
            throw new IllegalArgumentException("--scenarios names no scenario");
        }
        return parsed;
    }

    private void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + name);
        }
    }
}

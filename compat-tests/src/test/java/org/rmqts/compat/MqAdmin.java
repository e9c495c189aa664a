package org.rmqts.compat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.PosixParser;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.srvutil.ServerUtil;
import org.apache.rocketmq.tools.command.MQAdminStartup;
import org.apache.rocketmq.tools.command.SubCommand;

/**
 * Runs the 4.7.1 {@code mqadmin} ({@link MQAdminStartup#main}) inside this JVM, exactly as {@code bin/mqadmin} would with
 * {@code -n <nameserver>}, and captures what it prints. A child JVM per command costs ~4 s on the build box; in-process
 * a command takes a fraction of a second.
 *
 * <p>MQAdminStartup reads {@code rocketmq.home.dir} once, when the class loads: we point it at a home whose
 * {@code conf/logback_tools.xml} sends the tool's log to {@code target/client-logs/tools.log} and which has no
 * {@code conf/tools.yml}, so requests are not ACL-signed. On a bad option mqadmin calls {@code System.exit}, which
 * would end the test JVM: the options are parsed here first, and a bad one fails the test instead.
 */
public final class MqAdmin {
    private static boolean homeReady;

    private MqAdmin() {
    }

    /** What one command printed: stdout and stderr (a failed command prints its exception's stack there). */
    public static final class Result {
        public final String command;
        public final String out;
        public final String err;

        Result(String command, String out, String err) {
            this.command = command;
            this.out = out;
            this.err = err;
        }

        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            for (String line : out.split("\\R")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            return lines;
        }

        /** {@code "key : value"} / {@code "key=  value"} lines as a map (brokerStatus, getBrokerConfig, ...). */
        public Map<String, String> keyValues(String separatorRegex) {
            Map<String, String> map = new LinkedHashMap<>();
            for (String line : lines()) {
                String[] kv = line.split(separatorRegex, 2);
                if (kv.length == 2) {
                    map.put(kv[0].trim(), kv[1].trim());
                }
            }
            return map;
        }

        public boolean failed() {
            return err.contains("Exception");
        }

        @Override
        public String toString() {
            return "mqadmin " + command + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    /** {@code mqadmin <args> -n <nsAddr>}. Serialized: it swaps System.out/err while it runs. */
    public static synchronized Result run(String nsAddr, String... args) {
        prepareHome();
        List<String> argv = new ArrayList<>(Arrays.asList(args));
        argv.add("-n");
        argv.add(nsAddr);
        checkOptions(argv);
        // main0 registers new sub-command objects on each call but runs the first registered: drop the old ones, as
        // two commands (brokerConsumeStats, queryMsgByUniqueKey) keep their started admin client between runs
        subCommandList().clear();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream capturedOut = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream capturedErr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(capturedOut);
            System.setErr(capturedErr);
            MQAdminStartup.main(argv.toArray(new String[0]));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.clearProperty(MixAll.NAMESRV_ADDR_PROPERTY);
        }
        Result result = new Result(String.join(" ", argv), out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8));
        oldOut.println(result);
        return result;
    }

    /** Parses {@code argv} as mqadmin will, throwing instead of exiting on an unknown command or a bad option. */
    private static void checkOptions(List<String> argv) {
        SubCommand command = null;
        for (SubCommand each : subCommands()) {
            if (each.commandName().equals(argv.get(0))) {
                command = each;
            }
        }
        if (command == null) {
            throw new AssertionError("mqadmin has no sub command " + argv.get(0));
        }
        Options options = command.buildCommandlineOptions(ServerUtil.buildCommandlineOptions(new Options()));
        try {
            new PosixParser().parse(options, argv.subList(1, argv.size()).toArray(new String[0]));
        } catch (ParseException e) {
            throw new AssertionError("bad options for mqadmin " + String.join(" ", argv) + ": " + e.getMessage(), e);
        }
    }

    private static List<SubCommand> subCommands() {
        List<SubCommand> commands = subCommandList();
        if (commands.isEmpty()) {
            MQAdminStartup.initCommand();
        }
        return new ArrayList<>(commands);
    }

    /** MQAdminStartup's registered sub commands (a protected static list). */
    @SuppressWarnings("unchecked")
    private static List<SubCommand> subCommandList() {
        try {
            java.lang.reflect.Field field = MQAdminStartup.class.getDeclaredField("subCommandList");
            field.setAccessible(true);
            return (List<SubCommand>) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot list mqadmin sub commands", e);
        }
    }

    private static void prepareHome() {
        if (homeReady) {
            return;
        }
        Path home = Servers.buildDir().resolve("mqadmin-home");
        Path conf = home.resolve("conf");
        Path log = Servers.buildDir().resolve("client-logs").resolve("tools.log");
        String logback = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<configuration>\n"
            + "  <appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">\n"
            + "    <file>" + log + "</file>\n"
            + "    <append>true</append>\n"
            + "    <encoder><pattern>%d{HH:mm:ss.SSS} %p %t %c{0} - %m%n</pattern></encoder>\n"
            + "  </appender>\n"
            + "  <root level=\"WARN\"><appender-ref ref=\"FILE\"/></root>\n"
            + "</configuration>\n";
        try {
            Files.createDirectories(conf);
            Files.write(conf.resolve("logback_tools.xml"), logback.getBytes(StandardCharsets.UTF_8));
            Files.deleteIfExists(conf.resolve("tools.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty(MixAll.ROCKETMQ_HOME_PROPERTY, home.toString());
        homeReady = true;
    }
}

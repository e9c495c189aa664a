package org.rmqts.compat;

/**
 * Starts a NameServer and one broker (ours, or Java 4.7.1's with -Dcompat.target=java) with the client
 * matrix's broker settings, prints their addresses and keeps them up until the process is stopped.
 * For working on a matrix driver by hand:
 *
 * <pre>mvn -q -f compat-tests test-compile exec:java@serve [-Dcompat.target=java] [-Dserve.seconds=1800]</pre>
 */
public final class ServeMain {
    private ServeMain() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = Long.getLong("serve.seconds", 1800L);
        try (Servers servers = Servers.start(ServeMain.class, 0, ClientMatrix.brokerConf())) {
            System.out.println("NAMESRV " + servers.nsAddr());
            System.out.println("BROKER " + servers.brokerAddr());
            System.out.println("TARGET " + Servers.target());
            System.out.flush();
            Thread.sleep(seconds * 1000);
        }
    }
}

package org.rmqts.compat;

import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Creates the matrix topics PREFIX_s for a driver run by hand (the harness does the same before each run):
 *
 * <pre>mvn -q -f compat-tests test-compile exec:java -Dexec.mainClass=org.rmqts.compat.MatrixTopics
 *     -Dexec.classpathScope=test -Dcompat.repoRoot=. -Dexec.args="NSADDR BROKERADDR PREFIX"</pre>
 */
public final class MatrixTopics {
    private MatrixTopics() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: MatrixTopics NSADDR BROKERADDR PREFIX");
        }
        DefaultMQAdminExt admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(args[0]);
        admin.setInstanceName(Compat.unique("matrix-topics"));
        admin.start();
        try {
            ClientMatrix.createTopics(admin, args[1], args[2]);
            System.out.println("CREATED " + ClientMatrix.scenarioIds().size() + " topics " + args[2] + "_*");
        } finally {
            admin.shutdown();
        }
    }
}

package org.rmqts.compat;

import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Creates the matrix topics PREFIX_s for a driver run by hand (the harness does the same before each run):
 *
 * <pre>mvn -q -f compat-tests exec:java@topics -Dmatrix.ns=127.0.0.1:P -Dmatrix.broker=127.0.0.1:Q -Dmatrix.prefix=X</pre>
 */
public final class MatrixTopics {
    private MatrixTopics() {
    }

    public static void main(String[] args) throws Exception {
        String ns = required("matrix.ns");
        String broker = required("matrix.broker");
        String prefix = required("matrix.prefix");
        DefaultMQAdminExt admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(ns);
        admin.setInstanceName(Compat.unique("matrix-topics"));
        admin.start();
        try {
            ClientMatrix.createTopics(admin, broker, prefix);
            System.out.println("CREATED " + ClientMatrix.scenarioIds().size() + " topics " + prefix + "_*");
        } finally {
            admin.shutdown();
        }
    }

    private static String required(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("set -D" + key);
        }
        return value;
    }
}

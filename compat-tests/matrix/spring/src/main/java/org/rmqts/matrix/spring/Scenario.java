package org.rmqts.matrix.spring;

/** One row of the matrix; every implementation is a bean present only when its id was asked for. */
public interface Scenario {
    String id();

    Outcome run() throws Exception;
}

package org.semanticranking.testing;

import org.elasticsearch.common.logging.LogConfigurator;

/**
 * Plain JUnit 5 tests touch Elasticsearch classes (exceptions, ingest documents) whose static
 * initialisers need ES's logging to be set up, as {@code ESTestCase} does for its own tests.
 */
public final class EsLogging {
    private static boolean done;

    private EsLogging() {}

    public static synchronized void configure() {
        if (done == false) {
            LogConfigurator.configureESLogging();
            done = true;
        }
    }
}

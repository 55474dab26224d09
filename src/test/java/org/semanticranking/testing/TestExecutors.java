package org.semanticranking.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops the plain executors a test made, so that {@code ESTestCase}'s thread-leak check finds none of their
 * threads alive: each is shut down at once (running tasks interrupted, queued ones dropped), then waited for.
 */
public final class TestExecutors {

    private TestExecutors() {}

    /** {@link ExecutorService#shutdownNow()} on each, then waits up to 10 seconds for each to terminate. */
    public static void shutdownNowAndAwait(ExecutorService... executors) throws InterruptedException {
        for (ExecutorService executor : executors) {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
        List<ExecutorService> stuck = new ArrayList<>();
        for (ExecutorService executor : executors) {
            if (executor != null && executor.awaitTermination(10, TimeUnit.SECONDS) == false) {
                stuck.add(executor);
            }
        }
        if (stuck.isEmpty() == false) {
            throw new AssertionError("executors still running 10 seconds after shutdownNow: " + stuck);
        }
    }
}

package org.semanticranking.encoder;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.util.concurrent.ThreadContext;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.test.ESTestCase;
import org.semanticranking.testing.TestExecutors;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A query is encoded on the query lane's executor even while every document thread is busy: a shopper's query does
 * not wait for a bulk's batches. With one executor for both lanes (the old layout) the same query waits.
 */
public class EncoderLanesTests extends ESTestCase {

    public void testAQueryIsEncodedWhileTheDocumentLaneIsBlocked() throws Exception {
        ExecutorService documents = Executors.newFixedThreadPool(1);
        ExecutorService queries = Executors.newFixedThreadPool(1);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch release = new CountDownLatch(1);
        EncoderService service = service(documents, queries, timer);
        try {
            documents.execute(() -> awaitQuietly(release)); // the document thread is taken, as by a long bulk
            CompletableFuture<float[]> document = new CompletableFuture<>();
            service.encode(null, "a product waiting for the document lane", false, 128, listener(document));
            CompletableFuture<float[]> query = new CompletableFuture<>();
            service.encodeQuery(null, "wireless headphones", listener(query));
            assertEquals(384, query.get(30, TimeUnit.SECONDS).length);
            assertFalse("the document waits for its lane", document.isDone());
            release.countDown();
            assertEquals(384, document.get(30, TimeUnit.SECONDS).length);
        } finally {
            release.countDown();
            service.close();
            TestExecutors.shutdownNowAndAwait(documents, queries, timer);
        }
    }

    public void testWithOneExecutorForBothLanesTheQueryWaits() throws Exception {
        ExecutorService shared = Executors.newFixedThreadPool(1);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch release = new CountDownLatch(1);
        EncoderService service = service(shared, shared, timer);
        try {
            shared.execute(() -> awaitQuietly(release));
            CompletableFuture<float[]> query = new CompletableFuture<>();
            service.encodeQuery(null, "wireless headphones", listener(query));
            Thread.sleep(500);
            assertFalse("behind the busy shared thread", query.isDone());
            release.countDown();
            assertEquals(384, query.get(30, TimeUnit.SECONDS).length);
        } finally {
            release.countDown();
            service.close();
            TestExecutors.shutdownNowAndAwait(shared, timer);
        }
    }

    private static EncoderService service(
            ExecutorService documents, ExecutorService queries, ScheduledExecutorService timer) {
        return new EncoderService(
                ModelRegistry.load(null, "all-minilm-l6-v2-q", EncoderDevice.CPU, 1),
                documents,
                queries,
                (task, delay) -> timer.schedule(task, delay.nanos(), TimeUnit.NANOSECONDS),
                16,
                64,
                TimeValue.ZERO,
                TimeValue.ZERO,
                10,
                new ThreadContext(Settings.EMPTY),
                () -> null);
    }

    private static ActionListener<float[]> listener(CompletableFuture<float[]> future) {
        return ActionListener.wrap(future::complete, future::completeExceptionally);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

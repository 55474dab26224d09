package org.semanticranking.encoder;

import org.elasticsearch.action.support.PlainActionFuture;
import org.elasticsearch.common.util.concurrent.EsRejectedExecutionException;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.test.ESTestCase;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.semanticranking.testing.TestExecutors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.hamcrest.Matchers.instanceOf;
import static org.semanticranking.encoder.TestModels.cosine;

public class MicroBatcherTests extends ESTestCase {

    private static OnnxTextEncoder encoder;
    private ThreadPoolExecutor pool;
    private ScheduledExecutorService timer;
    private BiConsumer<Runnable, TimeValue> scheduler;

    @BeforeClass
    public static void load() throws Exception {
        encoder = TestModels.defaultModel();
    }

    @AfterClass
    public static void forgetEncoder() {
        // TestModels keeps (and later test classes share) the loaded model; only this class's reference is dropped
        encoder = null;
    }

    @Before
    public void pools() {
        pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(100));
        timer = Executors.newSingleThreadScheduledExecutor();
        scheduler = (task, delay) -> timer.schedule(task, delay.nanos(), TimeUnit.NANOSECONDS);
    }

    @After
    public void shutdown() throws InterruptedException {
        TestExecutors.shutdownNowAndAwait(pool, timer);
    }

    private static float[] alone(String text) throws Exception {
        return encoder.embed(List.of(encoder.tokenize(text, false, 256)))[0];
    }

    public void testConcurrentCallersEachGetTheirOwnVector() throws Exception {
        EncoderStats stats = new EncoderStats("m", () -> 0);
        MicroBatcher batcher = new MicroBatcher(encoder, pool, scheduler, 8, 64, TimeValue.timeValueMillis(5), stats);
        int callers = 8;
        int perCaller = 12;
        List<String> texts = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            for (int i = 0; i < perCaller; i++) {
                // distinct texts of varied lengths, so that sorting reorders them inside windows
                texts.add("product " + c + "-" + i + " " + "with feature ".repeat((c * 7 + i) % 9)
                        + (i % 2 == 0 ? "headphones" : "kettle"));
            }
        }
        List<PlainActionFuture<float[]>> futures = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            futures.add(new PlainActionFuture<>());
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < perCaller; i++) {
                    int idx = caller * perCaller + i;
                    batcher.submit(texts.get(idx), false, 256, futures.get(idx));
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        for (int i = 0; i < texts.size(); i++) {
            float[] got = futures.get(i).get(30, TimeUnit.SECONDS);
            float[] expected = alone(texts.get(i));
            assertTrue(
                    "text " + i + " got a vector with cosine " + cosine(expected, got), cosine(expected, got) >= 0.98);
        }
        ModelStats s = stats.snapshot();
        assertEquals(texts.size(), s.textsEncoded());
        assertTrue("concurrent texts should share batches, mean batch " + s.meanBatchSize(), s.meanBatchSize() > 1.0);
        assertTrue("batches are at most batch_size texts", s.batches() >= texts.size() / 8);
        assertEquals(0, batcher.pendingCount());
    }

    public void testALoneTextIsEncodedAfterMaxWait() throws Exception {
        EncoderStats stats = new EncoderStats("m", () -> 0);
        MicroBatcher batcher =
                new MicroBatcher(encoder, pool, scheduler, 32, 256, TimeValue.timeValueMillis(20), stats);
        PlainActionFuture<float[]> future = new PlainActionFuture<>();
        batcher.submit("usb fan", true, 256, future);
        assertEquals(384, future.get(10, TimeUnit.SECONDS).length);
        assertEquals(1, stats.snapshot().batches());
    }

    public void testAFullQueueRejectsWithTooManyRequests() throws Exception {
        ThreadPoolExecutor tiny = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
        CountDownLatch release = new CountDownLatch(1);
        try {
            tiny.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            tiny.execute(() -> {}); // the queue's one slot
            EncoderStats stats = new EncoderStats("m", () -> 0);
            MicroBatcher batcher = new MicroBatcher(encoder, tiny, scheduler, 4, 4, TimeValue.ZERO, stats);
            PlainActionFuture<float[]> future = new PlainActionFuture<>();
            batcher.submit("anything", false, 256, future);
            ExecutionException e = expectThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
            assertThat(e.getCause(), instanceOf(EsRejectedExecutionException.class));
            EsRejectedExecutionException rejected = (EsRejectedExecutionException) e.getCause();
            assertEquals(
                    429, org.elasticsearch.ExceptionsHelper.status(rejected).getStatus());
            assertEquals(1, stats.snapshot().rejections());
        } finally {
            release.countDown();
            TestExecutors.shutdownNowAndAwait(tiny);
        }
    }

    public void testAFailingTextFailsOnlyItsOwnCaller() throws Exception {
        EncoderStats stats = new EncoderStats("m", () -> 0);
        MicroBatcher batcher = new MicroBatcher(encoder, pool, scheduler, 4, 3, TimeValue.timeValueSeconds(1), stats);
        PlainActionFuture<float[]> good1 = new PlainActionFuture<>();
        PlainActionFuture<float[]> bad = new PlainActionFuture<>();
        PlainActionFuture<float[]> good2 = new PlainActionFuture<>();
        batcher.submit("fine text", false, 256, good1);
        batcher.submit(null, false, 256, bad);
        batcher.submit("another fine text", false, 256, good2);
        assertEquals(384, good1.get(10, TimeUnit.SECONDS).length);
        assertEquals(384, good2.get(10, TimeUnit.SECONDS).length);
        expectThrows(ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
        assertEquals(1, stats.snapshot().failures());
    }
}

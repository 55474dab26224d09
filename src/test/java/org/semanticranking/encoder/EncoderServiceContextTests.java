package org.semanticranking.encoder;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.util.concurrent.ThreadContext;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.test.ESTestCase;
import org.semanticranking.testing.TestExecutors;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A caller's listener runs in the caller's thread context (user, response headers), not in the encoder
 * thread's: two requests share a batch, and each gets its own context back.
 */
public class EncoderServiceContextTests extends ESTestCase {

    public void testListenersRunInTheCallersContext() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        ThreadContext context = new ThreadContext(Settings.EMPTY);
        EncoderService service = new EncoderService(
                ModelRegistry.load(null, "all-minilm-l6-v2-q", EncoderDevice.CPU, 1),
                pool, // plain executors: they carry no thread context of their own
                pool,
                (task, delay) -> timer.schedule(task, delay.nanos(), TimeUnit.NANOSECONDS),
                16,
                64,
                TimeValue.timeValueMillis(50), // long enough for both texts to share a batch
                TimeValue.ZERO,
                10,
                context,
                () -> null);
        try {
            CompletableFuture<String> first = new CompletableFuture<>(), second = new CompletableFuture<>();
            for (var pair : new Object[][] {{"alice", first, "a red kettle"}, {"bob", second, "a blue sofa"}}) {
                try (ThreadContext.StoredContext ignored = context.stashContext()) {
                    context.putHeader("user", (String) pair[0]);
                    @SuppressWarnings("unchecked")
                    CompletableFuture<String> seen = (CompletableFuture<String>) pair[1];
                    service.encode(
                            null,
                            (String) pair[2],
                            false,
                            128,
                            ActionListener.wrap(
                                    v -> seen.complete(context.getHeader("user")), seen::completeExceptionally));
                }
            }
            assertEquals("alice", first.get(30, TimeUnit.SECONDS));
            assertEquals("bob", second.get(30, TimeUnit.SECONDS));
            CompletableFuture<String> query = new CompletableFuture<>();
            try (ThreadContext.StoredContext ignored = context.stashContext()) {
                context.putHeader("user", "carol");
                service.encodeQuery(
                        null,
                        "wireless headphones",
                        ActionListener.wrap(
                                v -> query.complete(context.getHeader("user")), query::completeExceptionally));
            }
            assertEquals("carol", query.get(30, TimeUnit.SECONDS));
        } finally {
            service.close();
            TestExecutors.shutdownNowAndAwait(pool, timer);
        }
    }
}

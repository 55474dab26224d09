package org.semanticranking.encoder;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.ContextPreservingActionListener;
import org.elasticsearch.common.breaker.CircuitBreaker;
import org.elasticsearch.common.util.concurrent.ThreadContext;
import org.elasticsearch.core.TimeValue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The one entry point to encoding on a node: name a model, pass text and a listener. Each model has
 * two {@link MicroBatcher}s, one per lane: documents wait up to {@code max_wait} to be sorted with the
 * rest of their bulk (throughput), queries up to {@code query_max_wait} (latency). On a node the lanes have
 * their own thread pools too, so that a shopper's query never waits behind the batches of a bulk.
 */
public final class EncoderService implements AutoCloseable {

    private final ModelRegistry registry;
    private final Map<String, MicroBatcher> documentBatchers = new TreeMap<>();
    private final Map<String, MicroBatcher> queryBatchers = new TreeMap<>();
    private final Map<String, EncoderStats> stats = new TreeMap<>();
    private final QueryVectorCache queryCache;
    private final ThreadContext threadContext;
    private final Supplier<CircuitBreaker> breaker;

    public EncoderService(
            ModelRegistry registry,
            Executor executor,
            BiConsumer<Runnable, TimeValue> scheduler,
            int batchSize,
            int sortWindow,
            TimeValue maxWait,
            TimeValue queryMaxWait,
            int queryCacheSize) {
        this(
                registry,
                executor,
                executor,
                scheduler,
                batchSize,
                sortWindow,
                maxWait,
                queryMaxWait,
                queryCacheSize,
                null,
                () -> null);
    }

    /**
     * @param documentExecutor runs the document lane's batches
     * @param queryExecutor    runs the query lane's: a query encode queued behind a bulk's batches waits for all of them
     *                         (benchmarks/README.md, "Query lane")
     * @param threadContext    the node's thread context: a caller's listener runs in the caller's context (its user, its
     *                         response headers), not in that of the encoder thread or of another request's batch
     */
    public EncoderService(
            ModelRegistry registry,
            Executor documentExecutor,
            Executor queryExecutor,
            BiConsumer<Runnable, TimeValue> scheduler,
            int batchSize,
            int sortWindow,
            TimeValue maxWait,
            TimeValue queryMaxWait,
            int queryCacheSize,
            ThreadContext threadContext,
            Supplier<CircuitBreaker> breaker) {
        this.registry = registry;
        this.threadContext = threadContext;
        this.breaker = breaker;
        this.queryCache = new QueryVectorCache(queryCacheSize);
        for (Map.Entry<String, OnnxTextEncoder> e : registry.loaded().entrySet()) {
            String name = e.getKey();
            EncoderStats modelStats = new EncoderStats(
                    name,
                    () -> documentBatchers.get(name).pendingCount()
                            + queryBatchers.get(name).pendingCount()
                            + executorQueue(documentExecutor)
                            + (queryExecutor == documentExecutor ? 0 : executorQueue(queryExecutor)));
            documentBatchers.put(
                    name,
                    new MicroBatcher(
                            e.getValue(), documentExecutor, scheduler, batchSize, sortWindow, maxWait, modelStats));
            queryBatchers.put(
                    name,
                    new MicroBatcher(
                            e.getValue(), queryExecutor, scheduler, batchSize, sortWindow, queryMaxWait, modelStats));
            stats.put(name, modelStats);
        }
    }

    private static int executorQueue(Executor executor) {
        return executor instanceof ThreadPoolExecutor tpe ? tpe.getQueue().size() : 0;
    }

    /**
     * Encodes one text with the named model ({@code null} for the default).
     *
     * @param query     queries get the model's query prefix; documents do not
     * @param maxTokens tokens kept (the model's own limit caps it)
     * @throws IllegalArgumentException for an unknown model (before anything is queued)
     */
    public void encode(String model, String text, boolean query, int maxTokens, ActionListener<float[]> listener) {
        submit(model, text, query, maxTokens, preserveContext(listener));
    }

    private ActionListener<float[]> preserveContext(ActionListener<float[]> listener) {
        return threadContext == null
                ? listener
                : ContextPreservingActionListener.wrapPreservingContext(listener, threadContext);
    }

    /**
     * What a text holds from submission to vector: its characters (UTF-16), its token ids, mask and types (longs,
     * about a token per four characters, at most {@code maxTokens}) and its vector. Texts wait in the batcher's window
     * by the thousand while only one batch of 16 runs at a time, so the waiting texts are what grows with a bulk.
     * Accounted in the {@code semantic_ranking_encoder} circuit breaker, so that an oversized bulk trips the
     * breaker (a 429 for the documents over the limit) instead of filling the heap.
     */
    static long estimateBytes(String text, int maxTokens, int dims) {
        long tokens = Math.min(maxTokens, text.length() / 4L + 2);
        return 2L * text.length() + tokens * 3L * Long.BYTES + (long) dims * Float.BYTES;
    }

    private void submit(String model, String text, boolean query, int maxTokens, ActionListener<float[]> listener) {
        OnnxTextEncoder encoder = registry.get(model);
        CircuitBreaker memory = breaker.get();
        if (memory != null) {
            long bytes = estimateBytes(
                    text,
                    Math.min(maxTokens, encoder.manifest().maxTokens()),
                    encoder.manifest().dims());
            memory.addEstimateBytesAndMaybeBreak(
                    bytes, "semantic_ranking encoder text"); // throws 429 before anything is queued
            listener = ActionListener.runBefore(listener, () -> memory.addWithoutBreaking(-bytes));
        }
        (query ? queryBatchers : documentBatchers)
                .get(encoder.manifest().name())
                .submit(text, query, maxTokens, listener);
    }

    /**
     * Encodes a shopper's query with the named model through the node's query vector cache: a
     * repeated query costs no encode, and identical queries arriving together cost one.
     *
     * @throws IllegalArgumentException for an unknown model (before anything is queued)
     */
    public void encodeQuery(String model, String text, ActionListener<float[]> listener) {
        OnnxTextEncoder encoder = registry.get(model);
        String name = encoder.manifest().name();
        queryCache.get(
                name,
                text,
                (normalized, l) ->
                        submit(name, normalized, true, encoder.manifest().maxTokens(), l),
                preserveContext(listener));
    }

    public QueryCacheStats queryCacheStats() {
        return queryCache.stats();
    }

    public ModelRegistry registry() {
        return registry;
    }

    public List<ModelStats> stats() {
        return stats.values().stream().map(EncoderStats::snapshot).toList();
    }

    @Override
    public void close() {
        registry.close();
    }
}

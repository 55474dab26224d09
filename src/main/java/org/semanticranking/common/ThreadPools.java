package org.semanticranking.common;

import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.threadpool.ExecutorBuilder;
import org.elasticsearch.threadpool.FixedExecutorBuilder;

import java.util.List;

/**
 * The plugin's thread pools, each sized and queued by Elasticsearch's usual {@code thread_pool.<name>.size} and
 * {@code .queue_size} settings. Encoding and the blocking jobs never run on a search or transport thread: they have
 * these.
 */
public final class ThreadPools {

    private ThreadPools() {}

    /** Document encodes (the ingest processor's batches): one thread per allocated processor. */
    public static final String ENCODER = "semantic_ranking_encoder";

    /**
     * The query lane, beside the document pool. Query encodes are single short texts (one to two milliseconds); on
     * their own threads they take their turn on the CPU with the document batches instead of queueing behind them. A
     * quarter of the processors, at least one: one thread encodes some 500 distinct queries a second, and repeated
     * queries never reach it (the query cache).
     */
    public static final String QUERY_ENCODER = "semantic_ranking_query_encoder";

    /** Profile builds, training runs and tuning: long, blocking reads and writes through the client, one at a time per node. */
    public static final String JOBS = "semantic_ranking_jobs";

    /** Pending encoder batches before callers get 429. */
    public static final int ENCODER_QUEUE_SIZE = 1000;

    static int queryEncoderSize(int allocatedProcessors) {
        return Math.max(1, allocatedProcessors / 4);
    }

    public static List<ExecutorBuilder<?>> executorBuilders(Settings settings) {
        int processors = EsExecutors.allocatedProcessors(settings);
        return List.of(
                fixed(settings, ENCODER, processors, ENCODER_QUEUE_SIZE),
                fixed(settings, QUERY_ENCODER, queryEncoderSize(processors), ENCODER_QUEUE_SIZE),
                fixed(settings, JOBS, 1, 16));
    }

    private static ExecutorBuilder<?> fixed(Settings settings, String name, int size, int queueSize) {
        return new FixedExecutorBuilder(
                settings, name, size, queueSize, "thread_pool." + name, EsExecutors.TaskTrackingConfig.DO_NOT_TRACK);
    }
}

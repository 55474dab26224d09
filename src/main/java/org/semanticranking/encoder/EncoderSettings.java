package org.semanticranking.encoder;

import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Setting.Property;
import org.elasticsearch.core.TimeValue;

import java.util.List;

/** The node settings of the encoder ({@code elasticsearch.yml}). */
public final class EncoderSettings {

    private EncoderSettings() {}

    public static final Setting<String> DEVICE = Setting.simpleString(
            "semantic_ranking.encoder.device", "auto", value -> EncoderDevice.parse(value), Property.NodeScope);

    /**
     * ONNX Runtime threads per inference call. One is the default: the pool runs one call per core,
     * and two callers with one thread each beat one caller with two on this kind of hardware.
     */
    public static final Setting<Integer> INTRA_OP_THREADS =
            Setting.intSetting("semantic_ranking.encoder.intra_op_threads", 1, 1, 64, Property.NodeScope);

    /**
     * Texts per inference call. Once texts are length-sorted, smaller batches pad less; the measured sizes are in
     * benchmarks/README.md ("Ingest throughput").
     */
    public static final Setting<Integer> BATCH_SIZE =
            Setting.intSetting("semantic_ranking.encoder.batch_size", 16, 1, 1024, Property.NodeScope);

    /**
     * How long the first waiting document waits for others to share its sort window. Long enough for
     * the ingest loop to hand over a whole bulk request, so that the bulk is sorted as one; short
     * next to the time the bulk takes to encode.
     */
    public static final Setting<TimeValue> MAX_WAIT = Setting.timeSetting(
            "semantic_ranking.encoder.max_wait",
            TimeValue.timeValueMillis(20),
            TimeValue.ZERO,
            TimeValue.timeValueSeconds(1),
            Property.NodeScope);

    /**
     * Whether query encodes run on their own pool ({@code semantic_ranking_query_encoder}, the default) or share the document
     * pool, behind any bulk's batches (as before it existed; kept to measure the one against the other).
     */
    public static final Setting<Boolean> QUERY_LANE =
            Setting.boolSetting("semantic_ranking.encoder.query_lane", true, Property.NodeScope);

    /** The same for query texts, which are short and wait on a person: by default they never wait. */
    public static final Setting<TimeValue> QUERY_MAX_WAIT = Setting.timeSetting(
            "semantic_ranking.encoder.query_max_wait",
            TimeValue.ZERO,
            TimeValue.ZERO,
            TimeValue.timeValueSeconds(1),
            Property.NodeScope);

    /**
     * How many waiting texts are gathered, sorted by token length and cut into batches. Sorting a
     * whole bulk keeps padding near the real length, which is what makes batches pay (benchmarks/README.md,
     * "Ingest throughput").
     */
    public static final Setting<Integer> SORT_WINDOW =
            Setting.intSetting("semantic_ranking.encoder.sort_window", 1024, 1, 100_000, Property.NodeScope);

    /** The model used when a processor or query names none (or names {@code default}). */
    public static final Setting<String> DEFAULT_MODEL =
            Setting.simpleString("semantic_ranking.encoder.default_model", "all-minilm-l6-v2-q", Property.NodeScope);

    /** Query vectors kept per node (each 384 floats, ~1.6 KB, for the default model). */
    public static final Setting<Integer> QUERY_CACHE_SIZE =
            Setting.intSetting("semantic_ranking.query_cache.size", 10_000, 0, 10_000_000, Property.NodeScope);

    public static List<Setting<?>> all() {
        return List.of(
                DEVICE,
                INTRA_OP_THREADS,
                BATCH_SIZE,
                MAX_WAIT,
                QUERY_LANE,
                QUERY_MAX_WAIT,
                SORT_WINDOW,
                DEFAULT_MODEL,
                QUERY_CACHE_SIZE);
    }
}

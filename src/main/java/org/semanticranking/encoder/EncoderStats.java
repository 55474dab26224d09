package org.semanticranking.encoder;

import org.elasticsearch.common.metrics.ExponentialBucketHistogram;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** Live counters of one model's encoder on this node; {@link #snapshot} freezes them for the stats API. */
public final class EncoderStats {

    private final String model;
    private final LongAdder texts = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder rejections = new LongAdder();
    private final LongAdder failures = new LongAdder();
    /**
     * Per text, from submission to vector, in microseconds (power-of-two buckets up to ~1 min), apart for
     * documents (which wait for their bulk by design) and queries (which a person waits for).
     */
    private final ExponentialBucketHistogram documentLatencyMicros = new ExponentialBucketHistogram(27);

    private final ExponentialBucketHistogram queryLatencyMicros = new ExponentialBucketHistogram(27);
    private final LongAdder documentTotalMicros = new LongAdder();
    private final LongAdder queryTotalMicros = new LongAdder();
    private final IntSupplier queueDepth;

    public EncoderStats(String model, IntSupplier queueDepth) {
        this.model = model;
        this.queueDepth = queueDepth;
    }

    void onBatch(int size) {
        batches.increment();
        texts.add(size);
    }

    void onTextDone(long startNanos, boolean query) {
        long micros = (System.nanoTime() - startNanos) / 1000;
        (query ? queryLatencyMicros : documentLatencyMicros).addObservation(micros);
        (query ? queryTotalMicros : documentTotalMicros).add(micros);
    }

    void onRejected(int count) {
        rejections.add(count);
    }

    void onFailed(int count) {
        failures.add(count);
    }

    public ModelStats snapshot() {
        long t = texts.sum();
        long b = batches.sum();
        return new ModelStats(
                model,
                t,
                b,
                b == 0 ? 0 : (double) t / b,
                queueDepth.getAsInt(),
                rejections.sum(),
                failures.sum(),
                LatencyPercentiles.of(documentLatencyMicros, documentTotalMicros.sum()),
                LatencyPercentiles.of(queryLatencyMicros, queryTotalMicros.sum()));
    }
}

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
    /** Per text, from submission to vector, in microseconds (power-of-two buckets up to ~1 min). */
    private final ExponentialBucketHistogram latencyMicros = new ExponentialBucketHistogram(27);
    private final IntSupplier queueDepth;

    public EncoderStats(String model, IntSupplier queueDepth) {
        this.model = model;
        this.queueDepth = queueDepth;
    }

    void onBatch(int size) {
        batches.increment();
        texts.add(size);
    }

    void onTextDone(long startNanos) {
        latencyMicros.addObservation((System.nanoTime() - startNanos) / 1000);
    }

    void onRejected(int count) {
        rejections.add(count);
    }

    void onFailed(int count) {
        failures.add(count);
    }

    public long textsEncoded() {
        return texts.sum();
    }

    public ModelStats snapshot() {
        long t = texts.sum();
        long b = batches.sum();
        long[] snapshot = latencyMicros.getSnapshot();
        int[] bounds = latencyMicros.calculateBucketUpperBounds();
        return new ModelStats(
            model,
            t,
            b,
            b == 0 ? 0 : (double) t / b,
            queueDepth.getAsInt(),
            rejections.sum(),
            failures.sum(),
            latencyMicros.getPercentile(0.5f, snapshot, bounds),
            latencyMicros.getPercentile(0.9f, snapshot, bounds),
            latencyMicros.getPercentile(0.99f, snapshot, bounds)
        );
    }
}

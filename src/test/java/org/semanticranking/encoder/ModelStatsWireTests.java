package org.semanticranking.encoder;

import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.test.AbstractWireSerializingTestCase;

import java.io.IOException;

/** The encoder stats of a node travel to the node that answers {@code GET _semantic_ranking/stats}: wire round trip. */
public class ModelStatsWireTests extends AbstractWireSerializingTestCase<ModelStats> {

    @Override
    protected Writeable.Reader<ModelStats> instanceReader() {
        return ModelStats::new;
    }

    @Override
    protected ModelStats createTestInstance() {
        return new ModelStats(
                randomAlphaOfLength(8),
                randomNonNegativeLong(),
                randomNonNegativeLong(),
                randomDouble(),
                randomIntBetween(0, 1000),
                randomNonNegativeLong(),
                randomNonNegativeLong(),
                randomLatency(),
                randomLatency());
    }

    private static LatencyPercentiles randomLatency() {
        return new LatencyPercentiles(
                randomNonNegativeLong(), randomNonNegativeLong(), randomLong(), randomLong(), randomLong());
    }

    @Override
    protected ModelStats mutateInstance(ModelStats s) throws IOException {
        return switch (between(0, 8)) {
            case 0 ->
                new ModelStats(
                        s.model() + "x",
                        s.textsEncoded(),
                        s.batches(),
                        s.meanBatchSize(),
                        s.queueDepth(),
                        s.rejections(),
                        s.failures(),
                        s.documentLatency(),
                        s.queryLatency());
            case 1 ->
                new ModelStats(
                        s.model(),
                        s.textsEncoded() ^ 1,
                        s.batches(),
                        s.meanBatchSize(),
                        s.queueDepth(),
                        s.rejections(),
                        s.failures(),
                        s.documentLatency(),
                        s.queryLatency());
            case 2 ->
                new ModelStats(
                        s.model(),
                        s.textsEncoded(),
                        s.batches() ^ 1,
                        s.meanBatchSize(),
                        s.queueDepth(),
                        s.rejections(),
                        s.failures(),
                        s.documentLatency(),
                        s.queryLatency());
            case 3 ->
                new ModelStats(
                        s.model(),
                        s.textsEncoded(),
                        s.batches(),
                        s.meanBatchSize() + 1,
                        s.queueDepth(),
                        s.rejections(),
                        s.failures(),
                        s.documentLatency(),
                        s.queryLatency());
            case 4 ->
                new ModelStats(
                        s.model(),
                        s.textsEncoded(),
                        s.batches(),
                        s.meanBatchSize(),
                        s.queueDepth() + 1,
                        s.rejections(),
                        s.failures(),
                        s.documentLatency(),
                        s.queryLatency());
            case 5 ->
                new ModelStats(
                        s.model(),
                        s.textsEncoded(),
                        s.batches(),
                        s.meanBatchSize(),
                        s.queueDepth(),
                        s.rejections() ^ 1,
                        s.failures(),
                        s.documentLatency(),
                        s.queryLatency());
            case 6 ->
                new ModelStats(
                        s.model(),
                        s.textsEncoded(),
                        s.batches(),
                        s.meanBatchSize(),
                        s.queueDepth(),
                        s.rejections(),
                        s.failures() ^ 1,
                        s.documentLatency(),
                        s.queryLatency());
            case 7 ->
                new ModelStats(
                        s.model(),
                        s.textsEncoded(),
                        s.batches(),
                        s.meanBatchSize(),
                        s.queueDepth(),
                        s.rejections(),
                        s.failures(),
                        randomValueOtherThan(s.documentLatency(), ModelStatsWireTests::randomLatency),
                        s.queryLatency());
            default ->
                new ModelStats(
                        s.model(),
                        s.textsEncoded(),
                        s.batches(),
                        s.meanBatchSize(),
                        s.queueDepth(),
                        s.rejections(),
                        s.failures(),
                        s.documentLatency(),
                        randomValueOtherThan(s.queryLatency(), ModelStatsWireTests::randomLatency));
        };
    }
}

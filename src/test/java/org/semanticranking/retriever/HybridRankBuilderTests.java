package org.semanticranking.retriever;

import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.search.rank.RankBuilder;
import org.elasticsearch.test.AbstractWireSerializingTestCase;
import org.semanticranking.scoring.Combination;
import org.semanticranking.scoring.Normalization;

import java.io.IOException;
import java.util.List;

/** The one-search hybrid's rank builder crosses the wire (coordinating node to data nodes) intact. */
public class HybridRankBuilderTests extends AbstractWireSerializingTestCase<HybridRankBuilder> {

    static HybridFusion randomFusion() {
        return new HybridFusion(
                randomFrom(Combination.values()),
                randomFrom(Normalization.values()),
                randomIntBetween(0, 4) / 2f,
                randomIntBetween(1, 4) / 2f,
                randomIntBetween(1, 100));
    }

    @Override
    protected HybridRankBuilder createTestInstance() {
        return new HybridRankBuilder(
                randomIntBetween(1, 500), randomFusion(), randomBoolean() ? null : randomIntBetween(0, 10) / 4f);
    }

    @Override
    protected HybridRankBuilder mutateInstance(HybridRankBuilder instance) throws IOException {
        return switch (between(0, 2)) {
            case 0 -> new HybridRankBuilder(instance.rankWindowSize() + 1, instance.fusion(), null);
            case 1 -> {
                HybridFusion f = instance.fusion();
                yield new HybridRankBuilder(
                        instance.rankWindowSize(),
                        new HybridFusion(
                                f.combination(),
                                f.normalization(),
                                f.lexicalWeight() + 1,
                                f.semanticWeight(),
                                f.rankConstant()),
                        null);
            }
            default -> new HybridRankBuilder(instance.rankWindowSize(), instance.fusion(), 99f);
        };
    }

    @Override
    protected Writeable.Reader<HybridRankBuilder> instanceReader() {
        return HybridRankBuilder::new;
    }

    @Override
    protected NamedWriteableRegistry getNamedWriteableRegistry() {
        return new NamedWriteableRegistry(List.of(
                new NamedWriteableRegistry.Entry(RankBuilder.class, HybridRankBuilder.NAME, HybridRankBuilder::new)));
    }
}

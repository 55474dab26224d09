package org.semanticranking.interleaving;

import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.test.AbstractWireSerializingTestCase;

/** An interleaved hit travels to the shards (in the rank docs of the final query) with its side and experiment. */
public class InterleaveRankDocTests extends AbstractWireSerializingTestCase<InterleaveRankDoc> {

    @Override
    protected Writeable.Reader<InterleaveRankDoc> instanceReader() {
        return InterleaveRankDoc::new;
    }

    @Override
    protected InterleaveRankDoc createTestInstance() {
        InterleaveRankDoc doc = new InterleaveRankDoc(
                randomNonNegativeInt(),
                randomFloat(),
                randomIntBetween(0, 10),
                randomIntBetween(0, 2),
                randomIntBetween(1, 100),
                randomBoolean() ? null : randomAlphaOfLength(8));
        doc.rank = randomIntBetween(1, 100);
        return doc;
    }

    @Override
    protected InterleaveRankDoc mutateInstance(InterleaveRankDoc instance) {
        int side = switch (instance.side()) {
            case "a" -> 1;
            case "b" -> 2;
            default -> 0;
        };
        InterleaveRankDoc doc = new InterleaveRankDoc(
                instance.doc, instance.score, instance.shardIndex, side, instance.sideRank(), instance.experiment());
        doc.rank = instance.rank;
        return doc;
    }
}

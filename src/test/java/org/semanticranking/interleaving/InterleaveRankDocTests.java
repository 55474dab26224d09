package org.semanticranking.interleaving;

import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.test.AbstractWireSerializingTestCase;

/** An interleaved hit travels to the shards (in the rank docs of the final query) with its side, credit and experiment. */
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
                randomDoubleBetween(-1, 1, true),
                randomBoolean() ? null : randomAlphaOfLength(8));
        doc.rank = randomIntBetween(1, 100);
        return doc;
    }

    @Override
    protected InterleaveRankDoc mutateInstance(InterleaveRankDoc instance) {
        int side = switch (instance.side()) {
            case "a" -> 0;
            case "b" -> 1;
            default -> 2;
        };
        double credit = instance.credit();
        if (randomBoolean()) {
            side = (side + 1) % 3;
        } else {
            credit = credit + 0.5;
        }
        InterleaveRankDoc doc = new InterleaveRankDoc(
                instance.doc,
                instance.score,
                instance.shardIndex,
                side,
                instance.sideRank(),
                credit,
                instance.experiment());
        doc.rank = instance.rank;
        return doc;
    }
}

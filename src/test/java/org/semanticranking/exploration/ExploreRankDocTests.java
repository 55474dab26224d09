package org.semanticranking.exploration;

import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.test.AbstractWireSerializingTestCase;

/** An explored hit travels to the shards (in the rank docs of the final query) with its rank and whether it was drawn. */
public class ExploreRankDocTests extends AbstractWireSerializingTestCase<ExploreRankDoc> {

    @Override
    protected Writeable.Reader<ExploreRankDoc> instanceReader() {
        return ExploreRankDoc::new;
    }

    @Override
    protected ExploreRankDoc createTestInstance() {
        ExploreRankDoc doc = new ExploreRankDoc(
                randomNonNegativeInt(),
                randomFloat(),
                randomIntBetween(0, 10),
                randomIntBetween(1, 100),
                randomBoolean());
        doc.rank = randomIntBetween(1, 100);
        return doc;
    }

    @Override
    protected ExploreRankDoc mutateInstance(ExploreRankDoc instance) {
        ExploreRankDoc doc = randomBoolean()
                ? new ExploreRankDoc(
                        instance.doc, instance.score, instance.shardIndex, instance.rankedAt() + 1, instance.explored())
                : new ExploreRankDoc(
                        instance.doc, instance.score, instance.shardIndex, instance.rankedAt(), !instance.explored());
        doc.rank = instance.rank;
        return doc;
    }
}

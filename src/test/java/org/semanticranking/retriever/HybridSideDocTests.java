package org.semanticranking.retriever;

import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.test.AbstractWireSerializingTestCase;

/** A side's hit travels (in the rank docs of the shards' final query) with its {@code _id}. */
public class HybridSideDocTests extends AbstractWireSerializingTestCase<HybridSideDoc> {

    @Override
    protected Writeable.Reader<HybridSideDoc> instanceReader() {
        return HybridSideDoc::new;
    }

    @Override
    protected HybridSideDoc createTestInstance() {
        HybridSideDoc doc = new HybridSideDoc(
                randomNonNegativeInt(),
                randomFloat(),
                randomIntBetween(0, 10),
                randomBoolean() ? null : randomAlphaOfLength(8));
        doc.rank = randomIntBetween(1, 100);
        return doc;
    }

    @Override
    protected HybridSideDoc mutateInstance(HybridSideDoc instance) {
        HybridSideDoc doc = new HybridSideDoc(
                instance.doc, instance.score, instance.shardIndex, instance.id() == null ? "x" : instance.id() + "x");
        doc.rank = instance.rank;
        return doc;
    }
}

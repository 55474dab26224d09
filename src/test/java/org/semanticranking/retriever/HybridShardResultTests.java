package org.semanticranking.retriever;

import org.apache.lucene.search.ScoreDoc;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.test.AbstractWireSerializingTestCase;

/** A shard's two top lists cross the wire to the coordinating node intact. */
public class HybridShardResultTests extends AbstractWireSerializingTestCase<HybridShardResult> {

    static ScoreDoc[] randomDocs() {
        ScoreDoc[] docs = new ScoreDoc[randomIntBetween(0, 20)];
        for (int i = 0; i < docs.length; i++) {
            docs[i] = new ScoreDoc(randomIntBetween(0, 10_000), randomFloat() * 10);
        }
        return docs;
    }

    @Override
    protected HybridShardResult createTestInstance() {
        return new HybridShardResult(randomDocs(), randomDocs());
    }

    @Override
    protected HybridShardResult mutateInstance(HybridShardResult instance) {
        ScoreDoc[] longer = java.util.Arrays.copyOf(instance.lexical(), instance.lexical().length + 1);
        longer[longer.length - 1] = new ScoreDoc(1, 1f);
        return randomBoolean()
                ? new HybridShardResult(longer, instance.semantic())
                : new HybridShardResult(instance.semantic(), longer);
    }

    @Override
    protected Writeable.Reader<HybridShardResult> instanceReader() {
        return HybridShardResult::new;
    }
}

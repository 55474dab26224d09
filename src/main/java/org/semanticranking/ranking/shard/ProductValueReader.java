package org.semanticranking.ranking.shard;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BytesRef;
import org.elasticsearch.index.mapper.IdFieldMapper;
import org.elasticsearch.index.mapper.Uid;
import org.semanticranking.ranking.feature.BoundFeature;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A value per product id: each segment's documents of those ids found by their {@code _id} term (indexed whatever the
 * id's storage mode; Elasticsearch's own version lookups read it so), the window's hits then looked up by doc id. A
 * query's products with clicks are few beside a catalogue, and the terms dictionary of {@code _id} answers a miss
 * without reading postings, so the seeks cost less than loading each hit's id.
 */
final class ProductValueReader implements FeatureReader {

    private final BoundFeature.ProductValues feature;
    private final List<BytesRef> ids = new ArrayList<>();
    private final List<Double> values = new ArrayList<>();
    private final Map<Integer, Double> bySegmentDoc = new HashMap<>();

    ProductValueReader(BoundFeature.ProductValues feature) {
        this.feature = feature;
        feature.values().forEach((id, value) -> {
            ids.add(Uid.encodeId(id));
            values.add(value);
        });
    }

    @Override
    public void setSegment(LeafReaderContext segment) throws IOException {
        bySegmentDoc.clear();
        Terms terms = ids.isEmpty() ? null : segment.reader().terms(IdFieldMapper.NAME);
        if (terms == null) {
            return;
        }
        TermsEnum te = terms.iterator();
        PostingsEnum postings = null;
        for (int i = 0; i < ids.size(); i++) {
            if (te.seekExact(ids.get(i))) {
                postings = te.postings(postings, PostingsEnum.NONE);
                // an updated product leaves deleted copies of its id: the window's hit is the live one, any of them
                for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    bySegmentDoc.put(doc, values.get(i));
                }
            }
        }
    }

    @Override
    public double value(int doc, int index) {
        return bySegmentDoc.getOrDefault(doc, feature.missing());
    }
}

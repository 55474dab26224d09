package org.semanticranking.ranking.shard;

import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;

import java.io.IOException;
import java.util.List;

/** The highest cosine of the request's vectors (one, or a shopper's latest products) and the hit's; 0 without one. */
final class VectorReader implements FeatureReader {
    private final String field;
    private final List<float[]> queries;
    private final double[] queryNorms;
    private FloatVectorValues vectors;
    private KnnVectorValues.DocIndexIterator docs;

    VectorReader(String field, List<float[]> queries) {
        this.field = field;
        this.queries = queries;
        this.queryNorms = new double[queries.size()];
        for (int q = 0; q < queryNorms.length; q++) {
            double n = 0;
            for (float f : queries.get(q)) {
                n += f * f;
            }
            queryNorms[q] = Math.sqrt(n);
        }
    }

    @Override
    public void setSegment(LeafReaderContext segment) throws IOException {
        vectors = segment.reader().getFloatVectorValues(field);
        docs = vectors == null ? null : vectors.iterator();
    }

    @Override
    public double value(int doc, int index) throws IOException {
        if (docs == null) {
            return 0;
        }
        int at = docs.docID() >= doc ? docs.docID() : docs.advance(doc);
        if (at != doc) {
            return 0;
        }
        float[] v = vectors.vectorValue(docs.index());
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int q = 0; q < queryNorms.length; q++) {
            float[] query = queries.get(q);
            if (v.length != query.length) {
                throw new IllegalArgumentException("[learned_rank] the query vector has [" + query.length
                        + "] dims but [" + field + "] has [" + v.length + "]");
            }
            double dot = 0;
            for (int i = 0; i < v.length; i++) {
                dot += v[i] * query[i];
            }
            best = Math.max(best, norm == 0 || queryNorms[q] == 0 ? 0 : dot / (Math.sqrt(norm) * queryNorms[q]));
        }
        return queryNorms.length == 0 ? 0 : best;
    }
}

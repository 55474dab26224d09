package org.semanticranking.rescore;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.semanticranking.personalization.ProductSignals;
import org.semanticranking.personalization.Vectors;
import org.semanticranking.personalization.context.ShopperContext;
import org.semanticranking.personalization.model.FeatureExtractor;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The three parts of every hit of one shard's rescore window, raw and normalised within the window, and the
 * blended score: computed once by the rescorer, and again (for the same documents and first-pass scores)
 * when a hit is explained or its breakdown is asked for in the fetch phase.
 */
final class BlendWindow {

    /** One hit's parts. {@code features} are the personalization model's inputs (empty without a model). */
    record Parts(
            double firstPass,
            double firstPassNormalized,
            double vector,
            double vectorNormalized,
            double personalization,
            double personalizationNormalized,
            double[] features,
            double score) {}

    private final Map<Integer, Parts> byDoc;

    private BlendWindow(Map<Integer, Parts> byDoc) {
        this.byDoc = byDoc;
    }

    Parts parts(int topLevelDoc) {
        return byDoc.get(topLevelDoc);
    }

    /**
     * @param docs       top-level doc ids of the window
     * @param firstPass  their first-pass scores, in the same order
     */
    static BlendWindow compute(
            BlendSpec blend, ProductSignalReader reader, IndexSearcher searcher, int[] docs, float[] firstPass)
            throws IOException {
        int n = docs.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(docs[a], docs[b]));
        double[] first = new double[n], vector = new double[n], personal = new double[n];
        double[][] features = new double[n][];
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        ShopperContext shopper = blend.shopper();
        FeatureExtractor extractor = shopper.model() == null
                ? null
                : new FeatureExtractor(shopper.model().spec());
        ProductSignalReader.Leaf leaf = null;
        int leafIndex = -1;
        for (Integer i : order) {
            int doc = docs[i];
            int li = ReaderUtil.subIndex(doc, leaves);
            if (li != leafIndex) {
                leafIndex = li;
                leaf = reader.leaf(leaves.get(li));
            }
            ProductSignals product = leaf.read(doc - leaves.get(li).docBase);
            first[i] = firstPass[i];
            vector[i] = blend.weights().vector() > 0 ? Vectors.cosine(blend.queryVector(), product.vector()) : 0;
            if (blend.weights().personalization() > 0 && shopper.knowsShopper()) {
                if (extractor != null) {
                    features[i] = extractor.extract(shopper.profile(), shopper.sessionVector(), product);
                    personal[i] = shopper.model().fit().probability(features[i]);
                } else {
                    // no trained model: the shopper's taste alone, as the cosine of their profile (or session) vector
                    float[] taste =
                            shopper.profile() != null && shopper.profile().vector() != null
                                    ? shopper.profile().vector()
                                    : shopper.sessionVector();
                    personal[i] = Vectors.cosine(taste, product.vector());
                }
            }
            if (features[i] == null) {
                features[i] = new double[0];
            }
        }
        double[] firstN = blend.normalization().apply(first);
        double[] vectorN = blend.normalization().apply(vector);
        double[] personalN = blend.normalization().apply(personal);
        Map<Integer, Parts> byDoc = new HashMap<>();
        for (int i = 0; i < n; i++) {
            double score = blend.weights().query() * firstN[i]
                    + blend.weights().vector() * vectorN[i]
                    + blend.weights().personalization() * personalN[i];
            byDoc.put(
                    docs[i],
                    new Parts(
                            first[i], firstN[i], vector[i], vectorN[i], personal[i], personalN[i], features[i], score));
        }
        return new BlendWindow(byDoc);
    }
}

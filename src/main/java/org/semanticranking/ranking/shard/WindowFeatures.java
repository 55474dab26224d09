package org.semanticranking.ranking.shard;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.semanticranking.ranking.feature.BoundFeature;
import org.semanticranking.ranking.feature.WindowFeature;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The features of a shard's window: one row per hit, one column per feature, as float (the trees compare in float, as
 * the library that trained them does). Each feature's reader is made once per shard, its query weight once per window,
 * and the hits are visited in doc id order, segment by segment: the window's documents are scored, nothing else.
 */
public final class WindowFeatures {

    private final List<String> names;
    /** The reader of each column, {@code null} for a feature relative to the window. */
    private final List<FeatureReader> readers;

    private final List<Relative> relatives;

    /** A column computed from another column once the whole window has it. */
    private record Relative(int column, int source, WindowFeature.Measure measure) {}

    private WindowFeatures(List<String> names, List<FeatureReader> readers, List<Relative> relatives) {
        this.names = names;
        this.readers = readers;
        this.relatives = relatives;
    }

    /** The readers of the features on this shard: a field of the wrong type is a 400 naming the feature. */
    public static WindowFeatures create(List<BoundFeature> features, SearchExecutionContext context)
            throws IOException {
        List<String> names = new ArrayList<>();
        List<FeatureReader> readers = new ArrayList<>();
        for (BoundFeature f : features) {
            names.add(f.name());
            readers.add(f instanceof BoundFeature.WindowRelative ? null : FeatureReaders.of(f, context));
        }
        List<Relative> relatives = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            if (features.get(i) instanceof BoundFeature.WindowRelative w) {
                int source = names.indexOf(w.feature());
                if (source < 0 || readers.get(source) == null) {
                    throw new IllegalArgumentException("[learned_rank] feature [" + w.name() + "]: [window] reads ["
                            + w.feature() + "], which is not a feature of the list");
                }
                relatives.add(new Relative(i, source, w.measure()));
            }
        }
        return new WindowFeatures(List.copyOf(names), java.util.Collections.unmodifiableList(readers), relatives);
    }

    public List<String> names() {
        return names;
    }

    /**
     * @param docs      shard-level doc ids of the window, in any order
     * @param firstPass their first-pass scores, in the same order
     * @return the features of each hit, in the order of {@code docs}
     */
    public float[][] compute(IndexSearcher searcher, int[] docs, float[] firstPass, FirstStage firstStage)
            throws IOException {
        int n = docs.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(docs[a], docs[b]));
        int[] sortedDocs = new int[n];
        float[] sortedFirstPass = new float[n];
        for (int i = 0; i < n; i++) {
            sortedDocs[i] = docs[order[i]];
            sortedFirstPass[i] = firstPass[order[i]];
        }
        FeatureReader.Window window = new FeatureReader.Window(sortedDocs, sortedFirstPass, firstStage);
        for (FeatureReader r : readers) {
            if (r != null) {
                r.prepare(searcher, window);
            }
        }
        float[][] rows = new float[n][readers.size()];
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        int leafIndex = -1;
        LeafReaderContext leaf = null;
        for (int i = 0; i < n; i++) {
            int li = ReaderUtil.subIndex(sortedDocs[i], leaves);
            if (li != leafIndex) {
                leafIndex = li;
                leaf = leaves.get(li);
                for (FeatureReader r : readers) {
                    if (r != null) {
                        r.setSegment(leaf);
                    }
                }
            }
            int doc = sortedDocs[i] - leaf.docBase;
            float[] row = rows[order[i]];
            for (int f = 0; f < readers.size(); f++) {
                FeatureReader r = readers.get(f);
                if (r != null) {
                    row[f] = (float) r.value(doc, i);
                }
            }
        }
        double[] column = new double[n];
        for (Relative rel : relatives) {
            for (int i = 0; i < n; i++) {
                column[i] = rows[i][rel.source];
            }
            rel.measure.apply(column);
            for (int i = 0; i < n; i++) {
                rows[i][rel.column] = (float) column[i];
            }
        }
        return rows;
    }
}

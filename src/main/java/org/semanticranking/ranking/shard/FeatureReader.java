package org.semanticranking.ranking.shard;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;

import java.io.IOException;

/**
 * Computes one feature for the hits of a shard's window: prepared once per window (a query's weight is created once),
 * then segment by segment, for increasing doc ids, as Lucene scores any query.
 */
interface FeatureReader {

    /** Once per window, before the first segment. */
    default void prepare(IndexSearcher searcher, Window window) throws IOException {}

    void setSegment(LeafReaderContext segment) throws IOException;

    /**
     * @param doc   the segment-relative doc id, greater than the one before in this segment
     * @param index the hit's place in the window (for what the first stage said of it)
     */
    double value(int doc, int index) throws IOException;

    /** The window's hits: shard-level doc ids, ascending, their first-pass scores, and the first stage. */
    record Window(int[] docs, float[] firstPass, FirstStage firstStage) {
        float bestFirstPass() {
            float best = 0;
            for (float f : firstPass) {
                best = Math.max(best, f);
            }
            return best;
        }
    }
}

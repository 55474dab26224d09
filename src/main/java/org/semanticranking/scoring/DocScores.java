package org.semanticranking.scoring;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;

import java.io.IOException;
import java.util.List;

/**
 * A query's scores of a few given documents, as Lucene scores any query: one weight, a scorer per segment advanced to
 * each document. What a rescorer's fetch phase uses to recompute the first-pass scores of its window.
 */
public final class DocScores {

    private DocScores() {}

    /** The query's scores of the given (ascending) shard-level docs; 0 for a doc the query does not match. */
    public static float[] of(IndexSearcher searcher, Query query, int[] sortedDocs) throws IOException {
        float[] scores = new float[sortedDocs.length];
        Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE, 1f);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        int leafIndex = -1;
        Scorer scorer = null;
        for (int i = 0; i < sortedDocs.length; i++) {
            int li = ReaderUtil.subIndex(sortedDocs[i], leaves);
            if (li != leafIndex) {
                leafIndex = li;
                scorer = weight.scorer(leaves.get(li));
            }
            int target = sortedDocs[i] - leaves.get(li).docBase;
            if (scorer != null) {
                DocIdSetIterator it = scorer.iterator();
                int at = it.docID() >= target ? it.docID() : it.advance(target);
                scores[i] = at == target ? scorer.score() : 0;
            }
        }
        return scores;
    }
}

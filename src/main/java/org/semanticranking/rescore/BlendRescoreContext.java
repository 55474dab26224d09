package org.semanticranking.rescore;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.elasticsearch.search.rescore.RescoreContext;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * One shard's {@code personalized_blend}. In the fetch phase (explain, score breakdown) the window is
 * computed again from the rescored doc ids Elasticsearch carries from the query phase, with their first-pass
 * scores recomputed from the query that {@link BlendFetchPhase} hands over: normalising within the window
 * needs every hit of the window, not just the explained one.
 */
final class BlendRescoreContext extends RescoreContext {

    private final BlendSpec blend;
    private final ProductSignalReader reader;
    private Query firstPassQuery;
    private BlendWindow fetchWindow;

    BlendRescoreContext(int windowSize, BlendSpec blend, ProductSignalReader reader) {
        super(windowSize, PersonalizedBlendRescorer.INSTANCE);
        this.blend = blend;
        this.reader = reader;
    }

    BlendSpec blend() {
        return blend;
    }

    ProductSignalReader reader() {
        return reader;
    }

    /** The fetch phase's (rewritten) query, so the window's first-pass scores can be recomputed. */
    void firstPassQuery(Query query) {
        this.firstPassQuery = query;
    }

    /** The window as the query phase saw it, or {@code null} when the first-pass query was not handed over. */
    BlendWindow fetchWindow(IndexSearcher searcher) throws IOException {
        if (fetchWindow == null && firstPassQuery != null && getRescoredDocs() != null) {
            int[] docs = getRescoredDocs().stream()
                    .mapToInt(Integer::intValue)
                    .sorted()
                    .toArray();
            fetchWindow =
                    BlendWindow.compute(blend, reader, searcher, docs, firstPassScores(searcher, firstPassQuery, docs));
        }
        return fetchWindow;
    }

    /** The query's scores of the given (sorted) top-level docs; 0 for a doc the query does not match. */
    static float[] firstPassScores(IndexSearcher searcher, Query query, int[] sortedDocs) throws IOException {
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

    static Set<Integer> asSet(int[] docs) {
        return Set.copyOf(Arrays.stream(docs).boxed().toList());
    }
}

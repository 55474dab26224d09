package org.semanticranking.rescore;

import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.elasticsearch.search.rescore.RescoreContext;
import org.semanticranking.scoring.DocScores;

import java.io.IOException;
import java.util.Arrays;
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
                    BlendWindow.compute(blend, reader, searcher, docs, DocScores.of(searcher, firstPassQuery, docs));
        }
        return fetchWindow;
    }

    static Set<Integer> asSet(int[] docs) {
        return Set.copyOf(Arrays.stream(docs).boxed().toList());
    }
}

package org.semanticranking.ranking.rescore;

import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.elasticsearch.search.rescore.RescoreContext;
import org.semanticranking.ranking.model.RankerModel;
import org.semanticranking.ranking.shard.FirstStage;
import org.semanticranking.ranking.shard.WindowFeatures;
import org.semanticranking.scoring.DocScores;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One shard's {@code learned_rank}. In the fetch phase (explain, score breakdown, logged features) the window's
 * features are computed again from the rescored doc ids Elasticsearch carries from the query phase, with their
 * first-pass scores recomputed from the query that {@link LearnedRankFetchPhase} hands over: a query-level feature
 * such as the window's best score needs the whole window, not just the fetched hit.
 */
final class LearnedRankContext extends RescoreContext {

    private final String rankerId;
    private final long version;
    private final RankerModel model;
    private final WindowFeatures features;
    private final FirstStage firstStage;
    private final boolean scoreBreakdown;
    private Query firstPassQuery;
    private Map<Integer, float[]> fetchWindow;

    LearnedRankContext(
            int windowSize,
            String rankerId,
            long version,
            RankerModel model,
            WindowFeatures features,
            FirstStage firstStage,
            boolean scoreBreakdown) {
        super(windowSize, LearnedRankRescorer.INSTANCE);
        this.rankerId = rankerId;
        this.version = version;
        this.model = model;
        this.features = features;
        this.firstStage = firstStage;
        this.scoreBreakdown = scoreBreakdown;
    }

    String rankerId() {
        return rankerId;
    }

    long version() {
        return version;
    }

    /** {@code null} when it only logs features. */
    RankerModel model() {
        return model;
    }

    WindowFeatures features() {
        return features;
    }

    FirstStage firstStage() {
        return firstStage;
    }

    /** Whether the fetch phase shows each hit's features (always when logging, on request when ranking). */
    boolean showsFeatures() {
        return model == null || scoreBreakdown;
    }

    void firstPassQuery(Query query) {
        this.firstPassQuery = query;
    }

    /**
     * The rows the rescore computed, kept for the fetch phase: when it runs on this same context (a single shard's
     * query and fetch in one request) explain and the breakdown read them instead of computing the window again.
     */
    void rescored(int[] docs, float[][] rows) {
        Map<Integer, float[]> byDoc = new HashMap<>();
        for (int i = 0; i < docs.length; i++) {
            byDoc.put(docs[i], rows[i]);
        }
        fetchWindow = byDoc;
    }

    /** The window's features by shard-level doc id, as the query phase computed them; {@code null} without the query. */
    Map<Integer, float[]> fetchWindow(IndexSearcher searcher) throws IOException {
        if (fetchWindow == null && firstPassQuery != null && getRescoredDocs() != null) {
            int[] docs = getRescoredDocs().stream()
                    .mapToInt(Integer::intValue)
                    .sorted()
                    .toArray();
            float[] firstPass = DocScores.of(searcher, firstPassQuery, docs);
            float[][] rows = features.compute(searcher, docs, firstPass, firstStage);
            Map<Integer, float[]> byDoc = new HashMap<>();
            for (int i = 0; i < docs.length; i++) {
                byDoc.put(docs[i], rows[i]);
            }
            fetchWindow = byDoc;
        }
        return fetchWindow;
    }
}

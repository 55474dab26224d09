package org.semanticranking.retriever;

import org.apache.lucene.search.ScoreDoc;
import org.elasticsearch.action.search.SearchPhaseController.TopDocsStats;
import org.elasticsearch.search.query.QuerySearchResult;
import org.elasticsearch.search.rank.context.QueryPhaseRankCoordinatorContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * On the coordinating node: each side's global top list from the shards' (best score first, then shard and Lucene doc),
 * fused over the window by {@link HybridFusion}, filtered by the retriever's {@code min_score}, and cut to the page
 * ({@code from}, {@code size}): what the fetch phase then loads.
 */
final class HybridCoordinatorContext extends QueryPhaseRankCoordinatorContext {

    private static final Comparator<ScoreDoc> BEST_FIRST = Comparator.comparingDouble((ScoreDoc d) -> -d.score)
            .thenComparingInt(d -> d.shardIndex)
            .thenComparingInt(d -> d.doc);

    private final int size;
    private final int from;
    private final HybridFusion fusion;
    private final Float minScore;

    HybridCoordinatorContext(int size, int from, int rankWindowSize, HybridFusion fusion, Float minScore) {
        super(rankWindowSize);
        this.size = size;
        this.from = from;
        this.fusion = fusion;
        this.minScore = minScore;
    }

    @Override
    public ScoreDoc[] rankQueryPhaseResults(List<QuerySearchResult> querySearchResults, TopDocsStats topDocStats) {
        List<ScoreDoc> lexical = new ArrayList<>();
        List<ScoreDoc> semantic = new ArrayList<>();
        for (QuerySearchResult result : querySearchResults) {
            if (result.getRankShardResult() instanceof HybridShardResult shard) {
                addFromShard(lexical, shard.lexical(), result.getShardIndex());
                addFromShard(semantic, shard.semantic(), result.getShardIndex());
            }
        }
        HybridRankDoc[] fused = fusion.fuse(top(lexical), top(semantic), rankWindowSize);
        List<HybridRankDoc> kept = new ArrayList<>(fused.length);
        for (HybridRankDoc doc : fused) {
            if (minScore == null || doc.score >= minScore) {
                kept.add(doc);
            }
        }
        int start = Math.min(from, kept.size());
        int end = Math.min(kept.size(), from + Math.max(size, 0));
        ScoreDoc[] page = kept.subList(start, end).toArray(new ScoreDoc[0]);
        topDocStats.fetchHits = page.length;
        return page;
    }

    private static void addFromShard(List<ScoreDoc> side, ScoreDoc[] docs, int shardIndex) {
        for (ScoreDoc doc : docs) {
            side.add(new ScoreDoc(doc.doc, doc.score, shardIndex));
        }
    }

    /** The side's best {@code rank_window_size} over all shards. */
    private ScoreDoc[] top(List<ScoreDoc> side) {
        ScoreDoc[] sorted = side.toArray(new ScoreDoc[0]);
        Arrays.sort(sorted, BEST_FIRST);
        return Arrays.copyOf(sorted, Math.min(rankWindowSize, sorted.length));
    }
}

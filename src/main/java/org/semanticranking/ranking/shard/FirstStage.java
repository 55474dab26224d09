package org.semanticranking.ranking.shard;

import org.elasticsearch.search.rank.RankDoc;
import org.semanticranking.retriever.HybridRankDoc;

import java.util.HashMap;
import java.util.Map;

/**
 * What a {@code semantic_hybrid} first stage said of the window's hits on one shard: each side's score and rank by
 * shard-level doc id, and each side's best score over the whole fused list (every shard's), so that query-level values
 * are the same on every shard. Without a hybrid first stage, {@link #NONE}.
 */
public final class FirstStage {

    public static final FirstStage NONE = new FirstStage(Map.of(), 0, 0, 0, Float.NaN);

    private final Map<Integer, HybridRankDoc> byDoc;
    private final int windowSize;
    private final float lexicalTop;
    private final float semanticTop;
    private final float fusedTop;

    private FirstStage(
            Map<Integer, HybridRankDoc> byDoc, int windowSize, float lexicalTop, float semanticTop, float fusedTop) {
        this.byDoc = byDoc;
        this.windowSize = windowSize;
        this.lexicalTop = lexicalTop;
        this.semanticTop = semanticTop;
        this.fusedTop = fusedTop;
    }

    /** @param shardIndex this shard's index in the search request, as its rank docs carry it */
    public static FirstStage of(RankDoc[] rankDocs, int shardIndex) {
        if (rankDocs == null || rankDocs.length == 0) {
            return NONE;
        }
        Map<Integer, HybridRankDoc> byDoc = new HashMap<>();
        float lexicalTop = 0, semanticTop = 0, fusedTop = 0;
        boolean hybrid = false;
        for (RankDoc d : rankDocs) {
            fusedTop = Math.max(fusedTop, d.score);
            if (d instanceof HybridRankDoc h) {
                hybrid = true;
                if (h.lexicalRank() != HybridRankDoc.NO_RANK) {
                    lexicalTop = Math.max(lexicalTop, h.lexicalScore());
                }
                if (h.semanticRank() != HybridRankDoc.NO_RANK) {
                    semanticTop = Math.max(semanticTop, h.semanticScore());
                }
                if (h.shardIndex == shardIndex) {
                    byDoc.put(h.doc, h);
                }
            }
        }
        return hybrid ? new FirstStage(byDoc, rankDocs.length, lexicalTop, semanticTop, fusedTop) : NONE;
    }

    public boolean isHybrid() {
        return this != NONE;
    }

    /** A side's score of a hit it returned, else 0. */
    float lexicalScore(int doc) {
        HybridRankDoc d = byDoc.get(doc);
        return d == null || d.lexicalRank() == HybridRankDoc.NO_RANK ? 0 : d.lexicalScore();
    }

    float semanticScore(int doc) {
        HybridRankDoc d = byDoc.get(doc);
        return d == null || d.semanticRank() == HybridRankDoc.NO_RANK ? 0 : d.semanticScore();
    }

    /** A side's rank of a hit it returned, else the window's size + 1. */
    float lexicalRank(int doc) {
        HybridRankDoc d = byDoc.get(doc);
        return d == null || d.lexicalRank() == HybridRankDoc.NO_RANK ? windowSize + 1 : d.lexicalRank();
    }

    float semanticRank(int doc) {
        HybridRankDoc d = byDoc.get(doc);
        return d == null || d.semanticRank() == HybridRankDoc.NO_RANK ? windowSize + 1 : d.semanticRank();
    }

    float lexicalTop() {
        return lexicalTop;
    }

    float semanticTop() {
        return semanticTop;
    }

    /** The best fused score, or NaN without a hybrid (then the window's best first-pass score stands in). */
    float fusedTop() {
        return fusedTop;
    }

    /** The rank a side gives a hit it did not return, when there is no hybrid: that of an empty window. */
    int windowSize() {
        return windowSize;
    }
}

package org.semanticranking.retriever;

import org.apache.lucene.search.ScoreDoc;
import org.elasticsearch.search.rank.RankDoc;
import org.semanticranking.scoring.Combination;
import org.semanticranking.scoring.Normalization;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fuses a lexical and a semantic top list into one, on the coordinating node (over the global top
 * lists, not per shard): by reciprocal rank ({@code rrf}) or by a weighted sum of normalised scores
 * ({@code linear}). Pure arithmetic, so the retriever stays thin and this is tested on its own.
 */
public record HybridFusion(
        Combination combination,
        Normalization normalization,
        float lexicalWeight,
        float semanticWeight,
        int rankConstant) {

    /** The lowest score a fused hit is given when the fused values reach 0 or below. */
    static final float POSITIVE_FLOOR = 1e-6f;

    public HybridFusion {
        if (Float.isFinite(lexicalWeight) == false
                || Float.isFinite(semanticWeight) == false
                || lexicalWeight < 0
                || semanticWeight < 0) {
            throw new IllegalArgumentException("[weights] must be finite and not negative, got lexical ["
                    + lexicalWeight + "] and semantic [" + semanticWeight + "]");
        }
        if (lexicalWeight == 0 && semanticWeight == 0) {
            throw new IllegalArgumentException("[weights] must not all be 0");
        }
        if (rankConstant < 1) {
            throw new IllegalArgumentException("[rank_constant] must be at least 1, got [" + rankConstant + "]");
        }
    }

    /**
     * One order for everything: the fused list is sorted by fused score, then by the better of the two side ranks, then
     * by {@code _id} (then shard and Lucene doc, only for hits that came without an id), and ranks are numbered in that
     * order. Each side is first put in the same kind of order (score, then {@code _id}), so that ties within a side get
     * the same ranks whatever the shard layout. Hits of equal fused score are then given strictly decreasing scores, a
     * float step apart, because Elasticsearch orders hits of equal score by shard and Lucene doc, not by this rank.
     *
     * @param lexical  the lexical side's top hits, best first (ranks from 1)
     * @param semantic the semantic side's top hits, best first
     * @return at most {@code windowSize} fused hits, best first, each with both sides' scores and ranks
     */
    public HybridRankDoc[] fuse(ScoreDoc[] lexical, ScoreDoc[] semantic, int windowSize) {
        lexical = inIdOrder(lexical);
        semantic = inIdOrder(semantic);
        Map<RankDoc.RankKey, HybridRankDoc> fused = new LinkedHashMap<>();
        float[] lexicalNorm = normalization.apply(scores(lexical));
        float[] semanticNorm = normalization.apply(scores(semantic));
        for (int i = 0; i < lexical.length; i++) {
            HybridRankDoc doc =
                    fused.computeIfAbsent(key(lexical[i]), k -> new HybridRankDoc(k.doc(), 0f, k.shardIndex()));
            doc.lexical(lexical[i].score, i + 1);
            doc.id(idOf(lexical[i]));
            doc.score += part(lexicalWeight, lexicalNorm[i], i + 1);
        }
        for (int i = 0; i < semantic.length; i++) {
            HybridRankDoc doc =
                    fused.computeIfAbsent(key(semantic[i]), k -> new HybridRankDoc(k.doc(), 0f, k.shardIndex()));
            doc.semantic(semantic[i].score, i + 1);
            doc.id(idOf(semantic[i]));
            doc.score += part(semanticWeight, semanticNorm[i], i + 1);
        }
        HybridRankDoc[] sorted = fused.values().toArray(new HybridRankDoc[0]);
        Arrays.sort(
                sorted,
                Comparator.comparingDouble((HybridRankDoc d) -> -d.score)
                        .thenComparingInt(HybridRankDoc::bestRank)
                        .thenComparing(HybridRankDoc::id, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparingInt(d -> d.shardIndex)
                        .thenComparingInt(d -> d.doc));
        HybridRankDoc[] top = Arrays.copyOf(sorted, Math.min(windowSize, sorted.length));
        // Elasticsearch requires positive rank-doc scores; min_max gives 0 to a list's last hit and
        // z_score goes negative. Shift (order and differences kept); the fused value stays in the doc.
        float floor = top.length == 0 ? 1f : top[top.length - 1].score;
        float previous = Float.POSITIVE_INFINITY;
        for (int i = 0; i < top.length; i++) {
            top[i].rank = i + 1;
            top[i].fusedScore(top[i].score);
            float score = floor <= 0 ? top[i].score - floor + POSITIVE_FLOOR : top[i].score;
            // a tie goes one float step below the hit before it, so that the response's order is this rank's
            top[i].score = Math.min(score, Math.nextDown(previous));
            previous = top[i].score;
        }
        return top;
    }

    /** A side's hits by score, ties by {@code _id}: its ranks then do not depend on how the index is sharded. */
    static ScoreDoc[] inIdOrder(ScoreDoc[] side) {
        ScoreDoc[] ordered = side.clone();
        // stable: hits without an id keep the order Elasticsearch gave them
        Arrays.sort(
                ordered,
                Comparator.comparingDouble((ScoreDoc d) -> -d.score)
                        .thenComparing(HybridFusion::idOf, Comparator.nullsLast(Comparator.naturalOrder())));
        return ordered;
    }

    private static float[] scores(ScoreDoc[] docs) {
        float[] scores = new float[docs.length];
        for (int i = 0; i < docs.length; i++) {
            scores[i] = docs[i].score;
        }
        return scores;
    }

    private static String idOf(ScoreDoc doc) {
        return doc instanceof HybridSideDoc side ? side.id() : null;
    }

    private float part(float weight, float normalized, int rank) {
        return combination.part(weight, normalized, rank, rankConstant);
    }

    private static RankDoc.RankKey key(ScoreDoc doc) {
        return new RankDoc.RankKey(doc.doc, doc.shardIndex);
    }
}

package org.semanticranking.retriever;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts each side's score and rank of a {@code semantic_hybrid} hit in the hit's {@code fields}, under
 * {@code _semantic_hybrid}, when the retriever asks for it ({@code "score_breakdown": true}): what the
 * fusion saw, at the cost of a normal search, without {@code _explain}.
 */
public final class HybridScoreBreakdownPhase extends RankDocFieldPhase<HybridRankDoc> {

    public static final String FIELD = "_semantic_hybrid";

    public HybridScoreBreakdownPhase() {
        super(HybridRankDoc.class, FIELD);
    }

    @Override
    protected Map<String, Object> field(HybridRankDoc doc) {
        if (doc.scoreBreakdown() == false) {
            return null;
        }
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("fused_score", doc.fusedScore());
        parts.put("rank", doc.rank);
        parts.put("lexical_score", doc.lexicalRank() == HybridRankDoc.NO_RANK ? null : doc.lexicalScore());
        parts.put("lexical_rank", doc.lexicalRank() == HybridRankDoc.NO_RANK ? null : doc.lexicalRank());
        parts.put("semantic_score", doc.semanticRank() == HybridRankDoc.NO_RANK ? null : doc.semanticScore());
        parts.put("semantic_rank", doc.semanticRank() == HybridRankDoc.NO_RANK ? null : doc.semanticRank());
        return parts;
    }
}

package org.semanticranking.exploration;

import org.semanticranking.retriever.RankDocFieldPhase;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts what an {@code explore} did with each hit in its {@code fields}, under {@code _explore} ({@code ranked_at}: its
 * rank in the ranking explored; {@code explored}: whether an exploration slot drew it): what the shop logs with the
 * view, so that the exploration's clicks can be told from the ranking's.
 */
public final class ExploreSlotPhase extends RankDocFieldPhase<ExploreRankDoc> {

    public static final String FIELD = "_explore";

    public ExploreSlotPhase() {
        super(ExploreRankDoc.class, FIELD);
    }

    @Override
    protected Map<String, Object> field(ExploreRankDoc doc) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("ranked_at", doc.rankedAt());
        shown.put("explored", doc.explored());
        return shown;
    }
}

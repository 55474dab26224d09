package org.semanticranking.interleaving;

import org.semanticranking.retriever.RankDocFieldPhase;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts the side a click on each hit of an {@code interleave} credits in its {@code fields}, under {@code _interleave}
 * ({@code side}, {@code side_rank}, {@code credit}, {@code experiment}): what the shop logs with the view and the
 * click, for {@code interleaving/_results}.
 */
public final class InterleaveSidePhase extends RankDocFieldPhase<InterleaveRankDoc> {

    public static final String FIELD = "_interleave";

    public InterleaveSidePhase() {
        super(InterleaveRankDoc.class, FIELD);
    }

    @Override
    protected Map<String, Object> field(InterleaveRankDoc doc) {
        Map<String, Object> side = new LinkedHashMap<>();
        side.put("side", doc.side());
        side.put("side_rank", doc.sideRank());
        side.put("credit", doc.credit());
        if (doc.experiment() != null) {
            side.put("experiment", doc.experiment());
        }
        return side;
    }
}

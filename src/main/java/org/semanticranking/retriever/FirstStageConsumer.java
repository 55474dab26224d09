package org.semanticranking.retriever;

import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.search.rescore.RescorerBuilder;

/**
 * A rescorer in a {@code semantic_hybrid}'s {@code rescore} section that reads what the fusion said of each hit: it gets
 * the fused list (every shard's rank docs, with each side's score and rank) when the final search is made.
 */
public interface FirstStageConsumer {

    RescorerBuilder<?> withFirstStage(RankDoc[] rankDocs);
}

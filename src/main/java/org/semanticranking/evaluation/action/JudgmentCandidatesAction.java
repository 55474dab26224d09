package org.semanticranking.evaluation.action;

import org.elasticsearch.action.ActionType;
import org.semanticranking.common.LocalResponse;

/** {@code POST <index>/_semantic_ranking/_judgment_candidates}: an index action, so that a role needs read on the index. */
public final class JudgmentCandidatesAction {

    public static final String NAME = "indices:data/read/semantic_ranking/judgment_candidates";
    public static final ActionType<LocalResponse> INSTANCE = new ActionType<>(NAME);

    private JudgmentCandidatesAction() {}
}

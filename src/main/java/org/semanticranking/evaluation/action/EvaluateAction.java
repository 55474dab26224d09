package org.semanticranking.evaluation.action;

import org.elasticsearch.action.ActionType;
import org.semanticranking.common.LocalResponse;

/** {@code POST <index>/_semantic_ranking/_evaluate}: an index action, so that a role needs read on the index. */
public final class EvaluateAction {

    public static final String NAME = "indices:data/read/semantic_ranking/evaluate";
    public static final ActionType<LocalResponse> INSTANCE = new ActionType<>(NAME);

    private EvaluateAction() {}
}

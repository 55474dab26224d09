package org.semanticranking.evaluation.action;

import org.elasticsearch.action.ActionType;
import org.semanticranking.common.LocalResponse;

/** {@code POST <index>/_semantic_ranking/_tune}: an index action, so that a role needs read on the index. */
public final class TuneAction {

    public static final String NAME = "indices:data/read/semantic_ranking/tune";
    public static final ActionType<LocalResponse> INSTANCE = new ActionType<>(NAME);

    private TuneAction() {}
}

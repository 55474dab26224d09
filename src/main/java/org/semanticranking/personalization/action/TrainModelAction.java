package org.semanticranking.personalization.action;

import org.elasticsearch.action.ActionType;
import org.semanticranking.common.LocalResponse;

/** {@code POST _semantic_ranking/personalization/<model_id>/_train}: a named action, so that roles grant it ({@code manage}). */
public final class TrainModelAction {

    public static final String NAME = "cluster:admin/semantic_ranking/personalization/train";
    public static final ActionType<LocalResponse> INSTANCE = new ActionType<>(NAME);

    private TrainModelAction() {}
}

package org.semanticranking.personalization.action;

import org.elasticsearch.action.ActionType;
import org.semanticranking.common.LocalResponse;

/** {@code POST _semantic_ranking/profiles/_build}: a named action, so that roles grant it ({@code manage}). */
public final class BuildProfilesAction {

    public static final String NAME = "cluster:admin/semantic_ranking/profiles/build";
    public static final ActionType<LocalResponse> INSTANCE = new ActionType<>(NAME);

    private BuildProfilesAction() {}
}

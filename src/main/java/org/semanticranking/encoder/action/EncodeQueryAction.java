package org.semanticranking.encoder.action;

import org.elasticsearch.action.ActionType;

/** Encodes a query text on the coordinating node ({@link TransportEncodeQueryAction}). */
public final class EncodeQueryAction {

    /** An internal action, run outside the caller's security context (see {@link AsSystem}): it reads no data. */
    public static final String NAME = "internal:semantic_ranking/encode_query";

    public static final ActionType<EncodeQueryResponse> INSTANCE = new ActionType<>(NAME);

    private EncodeQueryAction() {}
}

package org.semanticranking.judgments.action;

import org.elasticsearch.action.ActionType;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.semanticranking.common.RewriteActions;
import org.semanticranking.judgments.QueryClicks;

import java.util.function.Supplier;

/**
 * One query's clicks per product from an events index ({@link TransportQueryClicksAction}). Local only: read by the
 * {@code clicks} features of {@code learned_rank} during the search's rewrite on the coordinating node.
 */
public final class QueryClicksAction {

    public static final String NAME = "indices:data/read/semantic_ranking/query_clicks";
    public static final ActionType<QueryClicksResponse> INSTANCE = new ActionType<>(NAME);

    private QueryClicksAction() {}

    /** Registers the read as an async action of the rewrite; the supplier gives it once it has run, null before. */
    public static Supplier<QueryClicks> fetch(QueryRewriteContext context, QueryClicksRequest request) {
        return RewriteActions.fetch(
                context, (client, listener) -> client.execute(INSTANCE, request, listener.map(r -> r.clicks())));
    }
}

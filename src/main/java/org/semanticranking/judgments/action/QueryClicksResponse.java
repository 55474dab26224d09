package org.semanticranking.judgments.action;

import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.semanticranking.judgments.QueryClicks;

/** The query's clicks per product. */
public final class QueryClicksResponse extends ActionResponse {

    private final QueryClicks clicks;

    QueryClicksResponse(QueryClicks clicks) {
        this.clicks = clicks;
    }

    public QueryClicks clicks() {
        return clicks;
    }

    @Override
    public void writeTo(StreamOutput out) {
        TransportAction.localOnly();
    }
}

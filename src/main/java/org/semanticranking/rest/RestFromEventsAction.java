package org.semanticranking.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.Strings;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestCancellableNodeClient;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.semanticranking.judgments.JudgmentOptions;
import org.semanticranking.judgments.action.FromEventsAction;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.elasticsearch.rest.RestRequest.Method.POST;

/**
 * {@code POST <index>/_semantic_ranking/judgments/_from_events}: graded judgments from logged impressions and clicks, in
 * the body {@code _evaluate} takes. The body (optional) holds {@link JudgmentOptions}.
 */
public final class RestFromEventsAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "semantic_ranking_judgments_from_events";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/{index}/_semantic_ranking/judgments/_from_events"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        Map<String, Object> body = request.hasContentOrSourceParam() ? RestBodies.required(request) : Map.of();
        FromEventsAction.Request fromEvents = new FromEventsAction.Request(
                Strings.splitStringByCommaToArray(request.param("index")),
                JudgmentOptions.parse(FromEventsAction.API, body, null));
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel())
                .execute(FromEventsAction.INSTANCE, fromEvents, new RestToXContentListener<>(channel));
    }
}

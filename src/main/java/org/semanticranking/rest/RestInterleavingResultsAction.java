package org.semanticranking.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.Strings;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestCancellableNodeClient;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.semanticranking.interleaving.action.InterleavingResultsAction;

import java.io.IOException;
import java.util.List;

import static org.elasticsearch.rest.RestRequest.Method.POST;

/** {@code POST <index>/_semantic_ranking/interleaving/_results}: which side of an {@code interleave} experiment wins. */
public final class RestInterleavingResultsAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "semantic_ranking_interleaving_results";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/{index}/_semantic_ranking/interleaving/_results"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        InterleavingResultsAction.Request results = InterleavingResultsAction.Request.parse(
                Strings.splitStringByCommaToArray(request.param("index")), RestBodies.required(request));
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel())
                .execute(InterleavingResultsAction.INSTANCE, results, new RestToXContentListener<>(channel));
    }
}

package org.semanticranking.rest;

import org.elasticsearch.action.ActionType;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.Strings;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestActions;
import org.semanticranking.encoder.action.EncoderNodesRequest;
import org.semanticranking.encoder.action.EncoderNodesResponse;
import org.semanticranking.encoder.action.TransportEncoderStatsAction;
import org.semanticranking.encoder.action.TransportModelsAction;

import java.util.List;

import static org.elasticsearch.rest.RestRequest.Method.GET;

/**
 * {@code GET _semantic_ranking/models} and {@code GET _semantic_ranking/stats}, each also per node
 * ({@code _semantic_ranking/{node_id}/models}), answered in the shape of ES's {@code _nodes} APIs.
 */
public final class RestEncoderNodesAction extends BaseRestHandler {

    private final String section;
    private final ActionType<EncoderNodesResponse> action;

    private RestEncoderNodesAction(String section, ActionType<EncoderNodesResponse> action) {
        this.section = section;
        this.action = action;
    }

    public static RestEncoderNodesAction models() {
        return new RestEncoderNodesAction("models", TransportModelsAction.TYPE);
    }

    public static RestEncoderNodesAction stats() {
        return new RestEncoderNodesAction("stats", TransportEncoderStatsAction.TYPE);
    }

    @Override
    public String getName() {
        return "semantic_ranking_" + section + "_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                new Route(GET, "/_semantic_ranking/" + section),
                new Route(GET, "/_semantic_ranking/{node_id}/" + section));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        EncoderNodesRequest nodesRequest =
                new EncoderNodesRequest(Strings.splitStringByCommaToArray(request.param("node_id")));
        return channel -> client.execute(action, nodesRequest, new RestActions.NodesResponseRestListener<>(channel));
    }

    @Override
    public boolean canTripCircuitBreaker() {
        return false;
    }
}

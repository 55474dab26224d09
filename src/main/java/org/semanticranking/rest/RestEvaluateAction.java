package org.semanticranking.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.Strings;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestCancellableNodeClient;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.semanticranking.evaluation.EvaluationRequest;
import org.semanticranking.evaluation.action.EvaluateAction;
import org.semanticranking.evaluation.action.EvaluateRequest;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import static org.elasticsearch.rest.RestRequest.Method.POST;

/** {@code POST <index>/_semantic_ranking/_evaluate}. */
public final class RestEvaluateAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "semantic_ranking_evaluate";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/{index}/_semantic_ranking/_evaluate"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        EvaluateRequest evaluate = new EvaluateRequest(
                Strings.splitStringByCommaToArray(request.param("index")),
                EvaluationRequest.parse("_evaluate", RestBodies.required(request), Set.of()));
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel())
                .execute(EvaluateAction.INSTANCE, evaluate, new RestToXContentListener<>(channel));
    }
}

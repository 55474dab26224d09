package org.semanticranking.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.Strings;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestCancellableNodeClient;
import org.elasticsearch.rest.action.RestToXContentListener;

import java.io.IOException;
import java.util.List;

import static org.elasticsearch.rest.RestRequest.Method.POST;

/** {@code POST <index>/_semantic_ranking/_evaluate}. */
public final class RestEvaluationActions {

    private RestEvaluationActions() {}

    public static List<BaseRestHandler> all() {
        return List.of(new Evaluate());
    }

    static final class Evaluate extends BaseRestHandler {
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
            EvaluationActions.Request r = new EvaluationActions.Request(
                Strings.splitStringByCommaToArray(request.param("index")),
                RestLearningActions.body(request)
            );
            return channel -> new RestCancellableNodeClient(client, request.getHttpChannel()).execute(
                EvaluationActions.EVALUATE,
                r,
                new RestToXContentListener<>(channel)
            );
        }
    }
}

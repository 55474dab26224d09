package org.semanticranking.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestCancellableNodeClient;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.semanticranking.personalization.action.TrainModelAction;
import org.semanticranking.personalization.action.TrainModelRequest;
import org.semanticranking.personalization.model.ModelTrainer;
import org.semanticranking.personalization.profile.LearningRequest;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

import static org.elasticsearch.rest.RestRequest.Method.POST;

/** {@code POST _semantic_ranking/personalization/{model_id}/_train}; cancelled when the client goes away. */
public final class RestTrainModelAction extends BaseRestHandler {

    /** The node's cluster settings, there once the node has made its components. */
    private final Supplier<ClusterSettings> settings;

    public RestTrainModelAction(Supplier<ClusterSettings> settings) {
        this.settings = settings;
    }

    @Override
    public String getName() {
        return "semantic_ranking_train_model";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/_semantic_ranking/personalization/{model_id}/_train"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        String modelId = request.param("model_id");
        TrainModelRequest train = new TrainModelRequest(
                modelId,
                LearningRequest.parse(
                        ModelTrainer.API, RestBodies.required(request), ModelTrainer.OPTIONS, settings.get()::get));
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel())
                .execute(TrainModelAction.INSTANCE, train, new RestToXContentListener<>(channel));
    }
}

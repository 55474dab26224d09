package org.semanticranking.rest;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.rest.action.RestBuilderListener;
import org.elasticsearch.xcontent.XContentBuilder;
import org.semanticranking.personalization.PersonalizationSettings;

import java.util.List;
import java.util.function.Supplier;

import static org.elasticsearch.rest.RestRequest.Method.GET;

/** {@code GET _semantic_ranking/personalization/{model_id}}: a trained model as it is stored; 404 when there is none. */
public final class RestGetModelAction extends BaseRestHandler {

    /** The node's cluster settings, there once the node has made its components. */
    private final Supplier<ClusterSettings> settings;

    public RestGetModelAction(Supplier<ClusterSettings> settings) {
        this.settings = settings;
    }

    @Override
    public String getName() {
        return "semantic_ranking_get_model";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, "/_semantic_ranking/personalization/{model_id}"));
    }

    private static ResourceNotFoundException notFound(String modelId) {
        return new ResourceNotFoundException("personalization model [" + modelId + "] not found");
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        String modelId = request.param("model_id");
        // the dynamic setting as it is now, where the training wrote the model
        String index = settings.get().get(PersonalizationSettings.MODELS_INDEX);
        return channel -> {
            RestBuilderListener<GetResponse> rest = new RestBuilderListener<>(channel) {
                @Override
                public RestResponse buildResponse(GetResponse response, XContentBuilder builder) throws Exception {
                    if (response.isExists() == false) {
                        throw notFound(modelId);
                    }
                    builder.map(response.getSourceAsMap());
                    return new RestResponse(RestStatus.OK, builder);
                }
            };
            client.get(
                    new GetRequest(index, modelId),
                    ActionListener.wrap(
                            rest::onResponse,
                            e -> rest.onFailure(e instanceof IndexNotFoundException ? notFound(modelId) : e)));
        };
    }
}

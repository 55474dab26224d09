package org.semanticranking.rest;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.action.RestCancellableNodeClient;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.rest.action.RestBuilderListener;
import org.elasticsearch.action.get.GetResponse;
import org.semanticranking.personalization.model.PersonalizationModels;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.elasticsearch.rest.RestRequest.Method.GET;
import static org.elasticsearch.rest.RestRequest.Method.POST;
import org.semanticranking.personalization.action.LearningActions;

/**
 * {@code POST _semantic_ranking/profiles/_build}, {@code POST _semantic_ranking/personalization/{model_id}/_train}
 * and {@code GET _semantic_ranking/personalization/{model_id}}. The long runs are cancelled when the client goes away.
 */
public final class RestLearningActions {

    private RestLearningActions() {}

    public static List<BaseRestHandler> all() {
        return List.of(new BuildProfiles(), new TrainModel(), new GetModel());
    }

    static ResourceNotFoundException notFound(String modelId) {
        return new ResourceNotFoundException("personalization model [" + modelId + "] not found");
    }

    static Map<String, Object> body(RestRequest request) throws IOException {
        if (request.hasContentOrSourceParam() == false) {
            throw new IllegalArgumentException("request body is required");
        }
        return XContentHelper.convertToMap(request.requiredContent(), false, request.getXContentType()).v2();
    }

    static final class BuildProfiles extends BaseRestHandler {
        @Override
        public String getName() {
            return "semantic_ranking_build_profiles";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(POST, "/_semantic_ranking/profiles/_build"));
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
            LearningActions.Request r = new LearningActions.Request(null, body(request));
            return channel -> new RestCancellableNodeClient(client, request.getHttpChannel()).execute(
                LearningActions.BUILD_PROFILES,
                r,
                new RestToXContentListener<>(channel)
            );
        }
    }

    static final class TrainModel extends BaseRestHandler {
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
            LearningActions.Request r = new LearningActions.Request(request.param("model_id"), body(request));
            return channel -> new RestCancellableNodeClient(client, request.getHttpChannel()).execute(
                LearningActions.TRAIN_MODEL,
                r,
                new RestToXContentListener<>(channel)
            );
        }
    }

    static final class GetModel extends BaseRestHandler {
        @Override
        public String getName() {
            return "semantic_ranking_get_model";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(GET, "/_semantic_ranking/personalization/{model_id}"));
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
            String modelId = request.param("model_id");
            String index = PersonalizationModels.INDEX.get(client.settings());
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
                    ActionListener.wrap(rest::onResponse, e -> rest.onFailure(e instanceof IndexNotFoundException ? notFound(modelId) : e))
                );
            };
        }
    }
}

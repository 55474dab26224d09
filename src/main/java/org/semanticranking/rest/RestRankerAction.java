package org.semanticranking.rest;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.DocWriteResponse;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.support.WriteRequest;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.rest.action.RestBuilderListener;
import org.elasticsearch.xcontent.XContentBuilder;
import org.semanticranking.ranking.RankingSettings;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.elasticsearch.rest.RestRequest.Method.DELETE;
import static org.elasticsearch.rest.RestRequest.Method.GET;

/**
 * {@code GET _semantic_ranking/rankers/<ranker_id>}: the stored ranker (its features, model type and size, what its
 * training measured; the model's numbers with {@code ?include_model=true}); {@code DELETE} removes it. 404 when there
 * is none. Both read or write the rankers index with the caller's privileges.
 */
public final class RestRankerAction extends BaseRestHandler {

    private final Supplier<ClusterSettings> settings;

    public RestRankerAction(Supplier<ClusterSettings> settings) {
        this.settings = settings;
    }

    @Override
    public String getName() {
        return "semantic_ranking_ranker";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                new Route(GET, "/_semantic_ranking/rankers/{ranker_id}"),
                new Route(DELETE, "/_semantic_ranking/rankers/{ranker_id}"));
    }

    private static ResourceNotFoundException notFound(String rankerId) {
        return new ResourceNotFoundException("ranker [" + rankerId + "] not found");
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        String rankerId = request.param("ranker_id");
        boolean includeModel = request.paramAsBoolean("include_model", false);
        String index = settings.get().get(RankingSettings.RANKERS_INDEX);
        if (request.method() == DELETE) {
            return channel -> {
                RestBuilderListener<org.elasticsearch.action.delete.DeleteResponse> rest =
                        new RestBuilderListener<>(channel) {
                            @Override
                            public RestResponse buildResponse(
                                    org.elasticsearch.action.delete.DeleteResponse response, XContentBuilder builder)
                                    throws Exception {
                                if (response.getResult() == DocWriteResponse.Result.NOT_FOUND) {
                                    throw notFound(rankerId);
                                }
                                builder.startObject()
                                        .field("acknowledged", true)
                                        .endObject();
                                return new RestResponse(RestStatus.OK, builder);
                            }
                        };
                client.delete(
                        new DeleteRequest(index, rankerId).setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE),
                        ActionListener.wrap(
                                rest::onResponse,
                                e -> rest.onFailure(e instanceof IndexNotFoundException ? notFound(rankerId) : e)));
            };
        }
        return channel -> {
            RestBuilderListener<org.elasticsearch.action.get.GetResponse> rest = new RestBuilderListener<>(channel) {
                @Override
                public RestResponse buildResponse(
                        org.elasticsearch.action.get.GetResponse response, XContentBuilder builder) throws Exception {
                    if (response.isExists() == false) {
                        throw notFound(rankerId);
                    }
                    Map<String, Object> source = response.getSourceAsMap();
                    if (includeModel == false && source.get("model") instanceof Map<?, ?> model) {
                        source.put("model", summary(model));
                    }
                    builder.map(source);
                    return new RestResponse(RestStatus.OK, builder);
                }
            };
            client.get(
                    new GetRequest(index, rankerId),
                    ActionListener.wrap(
                            rest::onResponse,
                            e -> rest.onFailure(e instanceof IndexNotFoundException ? notFound(rankerId) : e)));
        };
    }

    /** The model's type and size, without its numbers. */
    static Map<String, Object> summary(Map<?, ?> model) {
        Object trees = model.get("trees");
        if (trees instanceof List<?> list) {
            int nodes = 0;
            for (Object t : list) {
                if (t instanceof Map<?, ?> tree && tree.get("feature") instanceof List<?> f) {
                    nodes += f.size();
                }
            }
            return Map.of("type", model.get("type"), "trees", list.size(), "nodes", nodes);
        }
        return model.get("weights") == null
                ? Map.of("type", String.valueOf(model.get("type")))
                : Map.of("type", model.get("type"), "weights", model.get("weights"));
    }
}

package org.semanticranking.rest;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.ResourceAlreadyExistsException;
import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.DocWriteResponse;
import org.elasticsearch.action.admin.indices.create.CreateIndexRequest;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.delete.DeleteResponse;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.action.index.IndexRequest;
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
import org.elasticsearch.xcontent.XContentFactory;
import org.semanticranking.ranking.RankingSettings;
import org.semanticranking.ranking.feature.Feature;
import org.semanticranking.ranking.feature.FeatureParser;
import org.semanticranking.ranking.store.FeatureSets;
import org.semanticranking.ranking.store.RankerStore;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.elasticsearch.rest.RestRequest.Method.DELETE;
import static org.elasticsearch.rest.RestRequest.Method.GET;
import static org.elasticsearch.rest.RestRequest.Method.PUT;

/**
 * {@code PUT _semantic_ranking/feature_sets/<name>} with {@code {"features": [...]}} (checked as a ranker's features
 * are: a 400 naming the feature), {@code GET} and {@code DELETE} of the same; 404 for a set that does not exist. Each
 * reads or writes the feature sets index with the caller's privileges.
 */
public final class RestFeatureSetAction extends BaseRestHandler {

    private final Supplier<ClusterSettings> settings;

    public RestFeatureSetAction(Supplier<ClusterSettings> settings) {
        this.settings = settings;
    }

    @Override
    public String getName() {
        return "semantic_ranking_feature_set";
    }

    @Override
    public List<Route> routes() {
        String path = "/_semantic_ranking/feature_sets/{name}";
        return List.of(new Route(PUT, path), new Route(GET, path), new Route(DELETE, path));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        String name = request.param("name");
        String index = settings.get().get(RankingSettings.FEATURE_SETS_INDEX);
        if (request.method() == PUT) {
            if (Feature.NAME_PATTERN.matcher(name).matches() == false) {
                throw new IllegalArgumentException(
                        "a feature set's name is letters, digits and [_.-] (at most 100) but was [" + name + "]");
            }
            Map<String, Object> body = RestBodies.required(request);
            for (String key : body.keySet()) {
                if (key.equals("features") == false) {
                    throw new IllegalArgumentException(
                            "[feature_sets] unknown field [" + key + "]; the body is " + "{\"features\": [...]}");
                }
            }
            List<Feature> features = FeatureParser.fromList(body.get("features"));
            XContentBuilder doc = XContentFactory.jsonBuilder().startObject().field("name", name);
            doc.startArray("features");
            for (Feature f : features) {
                f.toXContent(doc, org.elasticsearch.xcontent.ToXContent.EMPTY_PARAMS);
            }
            doc.endArray().endObject();
            return channel -> {
                RestBuilderListener<DocWriteResponse> rest = new RestBuilderListener<>(channel) {
                    @Override
                    public RestResponse buildResponse(DocWriteResponse response, XContentBuilder builder)
                            throws Exception {
                        builder.startObject()
                                .field("name", name)
                                .field("result", response.getResult().getLowercase())
                                .field("features", features.size())
                                .endObject();
                        return new RestResponse(
                                response.getResult() == DocWriteResponse.Result.CREATED
                                        ? RestStatus.CREATED
                                        : RestStatus.OK,
                                builder);
                    }
                };
                IndexRequest write = new IndexRequest(index)
                        .id(name)
                        .source(doc)
                        .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
                client.admin()
                        .indices()
                        .create(
                                new CreateIndexRequest(index)
                                        .settings(RankerStore.INDEX_SETTINGS)
                                        .mapping(FeatureSets.MAPPING),
                                ActionListener.wrap(created -> client.index(write, rest), e -> {
                                    if (ExceptionsHelper.unwrapCause(e) instanceof ResourceAlreadyExistsException) {
                                        client.index(write, rest);
                                    } else {
                                        rest.onFailure(e);
                                    }
                                }));
            };
        }
        if (request.method() == DELETE) {
            return channel -> {
                RestBuilderListener<DeleteResponse> rest = new RestBuilderListener<>(channel) {
                    @Override
                    public RestResponse buildResponse(DeleteResponse response, XContentBuilder builder)
                            throws Exception {
                        if (response.getResult() == DocWriteResponse.Result.NOT_FOUND) {
                            throw FeatureSets.unknown(name);
                        }
                        builder.startObject().field("acknowledged", true).endObject();
                        return new RestResponse(RestStatus.OK, builder);
                    }
                };
                client.delete(
                        new DeleteRequest(index, name).setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE),
                        ActionListener.wrap(rest::onResponse, e -> rest.onFailure(notFound(e, name))));
            };
        }
        return channel -> {
            RestBuilderListener<GetResponse> rest = new RestBuilderListener<>(channel) {
                @Override
                public RestResponse buildResponse(GetResponse response, XContentBuilder builder) throws Exception {
                    if (response.isExists() == false) {
                        throw FeatureSets.unknown(name);
                    }
                    builder.map(response.getSourceAsMap());
                    return new RestResponse(RestStatus.OK, builder);
                }
            };
            client.get(
                    new GetRequest(index, name),
                    ActionListener.wrap(rest::onResponse, e -> rest.onFailure(notFound(e, name))));
        };
    }

    private static Exception notFound(Exception e, String name) {
        ResourceNotFoundException unknown = FeatureSets.unknown(name);
        return e instanceof IndexNotFoundException ? unknown : e;
    }
}

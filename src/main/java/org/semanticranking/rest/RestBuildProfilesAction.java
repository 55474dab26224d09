package org.semanticranking.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestCancellableNodeClient;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.semanticranking.personalization.action.BuildProfilesAction;
import org.semanticranking.personalization.action.BuildProfilesRequest;
import org.semanticranking.personalization.profile.LearningRequest;
import org.semanticranking.personalization.profile.ProfileBuilder;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

import static org.elasticsearch.rest.RestRequest.Method.POST;

/** {@code POST _semantic_ranking/profiles/_build}; cancelled when the client goes away. */
public final class RestBuildProfilesAction extends BaseRestHandler {

    /** The node's cluster settings, there once the node has made its components. */
    private final Supplier<ClusterSettings> settings;

    public RestBuildProfilesAction(Supplier<ClusterSettings> settings) {
        this.settings = settings;
    }

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
        // read and checked here, so that bad input is a 400 before anything runs; the node's settings give the defaults
        BuildProfilesRequest build = new BuildProfilesRequest(LearningRequest.parse(
                ProfileBuilder.API, RestBodies.required(request), ProfileBuilder.OPTIONS, settings.get()::get));
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel())
                .execute(BuildProfilesAction.INSTANCE, build, new RestToXContentListener<>(channel));
    }
}

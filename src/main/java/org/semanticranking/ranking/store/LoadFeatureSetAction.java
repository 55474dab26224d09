package org.semanticranking.ranking.store;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;
import org.semanticranking.common.LocalIndicesRequest;
import org.semanticranking.ranking.RankingSettings;
import org.semanticranking.ranking.feature.Feature;

import java.util.List;

/**
 * Loads a named feature set on the coordinating node for a logging {@code learned_rank}'s rewrite: an index action over
 * the searched indices, reading the feature sets index (named by the node's setting) with the caller's privileges.
 */
public final class LoadFeatureSetAction {

    public static final String NAME = "indices:data/read/semantic_ranking/load_feature_set";
    public static final ActionType<Response> INSTANCE = new ActionType<>(NAME);

    private LoadFeatureSetAction() {}

    public static final class Request extends LocalIndicesRequest {
        private final String name;

        public Request(String[] searched, String name) {
            super(searched);
            this.name = name;
        }
    }

    public static final class Response extends ActionResponse {
        private final List<Feature> features;

        Response(List<Feature> features) {
            this.features = features;
        }

        public List<Feature> features() {
            return features;
        }

        @Override
        public void writeTo(StreamOutput out) {
            TransportAction.localOnly();
        }
    }

    public static final class Transport extends TransportAction<Request, Response> {
        private final Client client;
        private final ClusterService clusterService;

        @Inject
        public Transport(
                TransportService transportService,
                ActionFilters actionFilters,
                Client client,
                ClusterService clusterService) {
            super(NAME, actionFilters, transportService.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.client = client;
            this.clusterService = clusterService;
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<Response> listener) {
            FeatureSets.get(
                    client,
                    clusterService.getClusterSettings().get(RankingSettings.FEATURE_SETS_INDEX),
                    request.name,
                    listener.map(Response::new));
        }
    }
}

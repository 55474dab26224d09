package org.semanticranking.encoder.action;

import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.semanticranking.encoder.EncoderService;
import org.semanticranking.encoder.ModelInfo;

import java.util.List;

/** {@code GET _semantic_ranking/models}: the models each node has, loaded or failed. */
public final class TransportModelsAction extends TransportEncoderNodesAction {

    public static final ActionType<EncoderNodesResponse> TYPE =
            new ActionType<>("cluster:monitor/semantic_ranking/models");

    @Inject
    public TransportModelsAction(
            ThreadPool threadPool,
            ClusterService clusterService,
            TransportService transportService,
            ActionFilters actionFilters,
            EncoderService encoder) {
        super(TYPE.name(), threadPool, clusterService, transportService, actionFilters, encoder);
    }

    @Override
    protected NodeEncoderReport report(DiscoveryNode localNode) {
        return new NodeEncoderReport(localNode, ModelInfo.of(encoder.registry()), List.of(), null);
    }
}

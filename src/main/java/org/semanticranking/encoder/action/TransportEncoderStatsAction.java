package org.semanticranking.encoder.action;

import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.semanticranking.encoder.EncoderService;

import java.util.List;

/** {@code GET _semantic_ranking/stats}: per node and model, what the encoder did. */
public final class TransportEncoderStatsAction extends TransportEncoderNodesAction {

    public static final ActionType<EncoderNodesResponse> TYPE =
            new ActionType<>("cluster:monitor/semantic_ranking/stats");

    @Inject
    public TransportEncoderStatsAction(
            ThreadPool threadPool,
            ClusterService clusterService,
            TransportService transportService,
            ActionFilters actionFilters,
            EncoderService encoder) {
        super(TYPE.name(), threadPool, clusterService, transportService, actionFilters, encoder);
    }

    @Override
    protected NodeEncoderReport report(DiscoveryNode localNode) {
        return new NodeEncoderReport(localNode, List.of(), encoder.stats(), encoder.queryCacheStats());
    }
}

package org.semanticranking.encoder.action;

import org.elasticsearch.action.FailedNodeException;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.nodes.TransportNodesAction;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.AbstractTransportRequest;
import org.elasticsearch.transport.TransportService;
import org.semanticranking.encoder.EncoderService;

import java.io.IOException;
import java.util.List;

/**
 * Fans a request out to the nodes and gathers each node's {@link NodeEncoderReport}. The two
 * concrete actions (models, stats) are separate action names so that roles can grant them apart.
 */
public abstract class TransportEncoderNodesAction
        extends TransportNodesAction<
                EncoderNodesRequest,
                EncoderNodesResponse,
                TransportEncoderNodesAction.NodeRequest,
                NodeEncoderReport,
                Void> {

    protected final EncoderService encoder;

    protected TransportEncoderNodesAction(
            String actionName,
            ThreadPool threadPool,
            ClusterService clusterService,
            TransportService transportService,
            ActionFilters actionFilters,
            EncoderService encoder) {
        super(
                actionName,
                clusterService,
                transportService,
                actionFilters,
                NodeRequest::new,
                threadPool.executor(ThreadPool.Names.MANAGEMENT));
        this.encoder = encoder;
    }

    @Override
    protected EncoderNodesResponse newResponse(
            EncoderNodesRequest request, List<NodeEncoderReport> responses, List<FailedNodeException> failures) {
        return new EncoderNodesResponse(clusterService.getClusterName(), responses, failures);
    }

    @Override
    protected NodeRequest newNodeRequest(EncoderNodesRequest request) {
        return new NodeRequest();
    }

    @Override
    protected NodeEncoderReport newNodeResponse(StreamInput in, DiscoveryNode node) throws IOException {
        return new NodeEncoderReport(in);
    }

    @Override
    protected NodeEncoderReport nodeOperation(NodeRequest request, Task task) {
        return report(transportService.getLocalNode());
    }

    protected abstract NodeEncoderReport report(DiscoveryNode localNode);

    public static final class NodeRequest extends AbstractTransportRequest {
        public NodeRequest() {}

        public NodeRequest(StreamInput in) throws IOException {
            super(in);
        }
    }
}

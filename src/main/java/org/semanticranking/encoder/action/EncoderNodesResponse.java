package org.semanticranking.encoder.action;

import org.elasticsearch.action.FailedNodeException;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.action.support.nodes.BaseNodesResponse;
import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;

/** The nodes' reports, keyed by node id, as ES's own nodes APIs print them. */
public final class EncoderNodesResponse extends BaseNodesResponse<NodeEncoderReport> implements ToXContentFragment {

    public EncoderNodesResponse(
            ClusterName clusterName, List<NodeEncoderReport> nodes, List<FailedNodeException> failures) {
        super(clusterName, nodes, failures);
    }

    @Override
    protected List<NodeEncoderReport> readNodesFrom(StreamInput in) throws IOException {
        return TransportAction.localOnly();
    }

    @Override
    protected void writeNodesTo(StreamOutput out, List<NodeEncoderReport> nodes) throws IOException {
        TransportAction.localOnly();
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject("nodes");
        for (NodeEncoderReport node : getNodes()) {
            node.toXContent(builder, params);
        }
        return builder.endObject();
    }
}

package org.semanticranking.encoder.action;

import org.elasticsearch.action.support.nodes.BaseNodesRequest;

/** Asks the named nodes (all when none) for their encoder's models or stats. */
public final class EncoderNodesRequest extends BaseNodesRequest {
    public EncoderNodesRequest(String... nodeIds) {
        super(nodeIds);
    }
}

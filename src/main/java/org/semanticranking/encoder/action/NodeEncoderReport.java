package org.semanticranking.encoder.action;

import org.elasticsearch.action.support.nodes.BaseNodeResponse;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.semanticranking.encoder.ModelInfo;
import org.semanticranking.encoder.ModelStats;
import org.semanticranking.encoder.QueryCacheStats;

import java.io.IOException;
import java.util.List;

/** One node's answer: its models (models API) or its encoder figures (stats API). */
public final class NodeEncoderReport extends BaseNodeResponse implements ToXContentFragment {

    private final List<ModelInfo> models;
    private final List<ModelStats> stats;
    /** {@code null} in a models report */
    private final QueryCacheStats queryCache;

    public NodeEncoderReport(
            DiscoveryNode node, List<ModelInfo> models, List<ModelStats> stats, QueryCacheStats queryCache) {
        super(node);
        this.models = List.copyOf(models);
        this.stats = List.copyOf(stats);
        this.queryCache = queryCache;
    }

    public NodeEncoderReport(StreamInput in) throws IOException {
        super(in);
        this.models = in.readCollectionAsList(ModelInfo::new);
        this.stats = in.readCollectionAsList(ModelStats::new);
        this.queryCache = in.readOptionalWriteable(QueryCacheStats::new);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeCollection(models);
        out.writeCollection(stats);
        out.writeOptionalWriteable(queryCache);
    }

    public List<ModelInfo> models() {
        return models;
    }

    public List<ModelStats> stats() {
        return stats;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(getNode().getId());
        builder.field("name", getNode().getName());
        if (models.isEmpty() == false) {
            builder.startObject("models");
            for (ModelInfo m : models) {
                builder.field(m.name(), m);
            }
            builder.endObject();
        }
        if (stats.isEmpty() == false) {
            builder.startObject("encoder");
            for (ModelStats s : stats) {
                builder.field(s.model(), s);
            }
            builder.endObject();
        }
        if (queryCache != null) {
            builder.field("query_cache", queryCache);
        }
        return builder.endObject();
    }
}

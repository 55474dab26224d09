package org.semanticranking.encoder;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;

/**
 * One model's encoder figures on one node. Latency percentiles are upper bounds of power-of-two
 * microsecond buckets (ES's {@link org.elasticsearch.common.metrics.ExponentialBucketHistogram}).
 */
public record ModelStats(
        String model,
        long textsEncoded,
        long batches,
        double meanBatchSize,
        int queueDepth,
        long rejections,
        long failures,
        LatencyPercentiles documentLatency,
        LatencyPercentiles queryLatency)
        implements Writeable, ToXContentObject {

    public ModelStats(StreamInput in) throws IOException {
        this(
                in.readString(),
                in.readVLong(),
                in.readVLong(),
                in.readDouble(),
                in.readVInt(),
                in.readVLong(),
                in.readVLong(),
                new LatencyPercentiles(in),
                new LatencyPercentiles(in));
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(model);
        out.writeVLong(textsEncoded);
        out.writeVLong(batches);
        out.writeDouble(meanBatchSize);
        out.writeVInt(queueDepth);
        out.writeVLong(rejections);
        out.writeVLong(failures);
        documentLatency.writeTo(out);
        queryLatency.writeTo(out);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("texts_encoded", textsEncoded);
        builder.field("batches", batches);
        builder.field("mean_batch_size", meanBatchSize);
        builder.field("queue_depth", queueDepth);
        builder.field("rejections", rejections);
        builder.field("failures", failures);
        builder.startObject("latency_micros");
        builder.field("documents", documentLatency);
        builder.field("queries", queryLatency);
        builder.endObject();
        return builder.endObject();
    }
}

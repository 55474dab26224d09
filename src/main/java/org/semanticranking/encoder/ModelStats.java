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
    long latencyP50Micros,
    long latencyP90Micros,
    long latencyP99Micros
) implements Writeable, ToXContentObject {

    public ModelStats(StreamInput in) throws IOException {
        this(
            in.readString(),
            in.readVLong(),
            in.readVLong(),
            in.readDouble(),
            in.readVInt(),
            in.readVLong(),
            in.readVLong(),
            in.readLong(),
            in.readLong(),
            in.readLong()
        );
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
        out.writeLong(latencyP50Micros);
        out.writeLong(latencyP90Micros);
        out.writeLong(latencyP99Micros);
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
        builder.field("p50", latencyP50Micros);
        builder.field("p90", latencyP90Micros);
        builder.field("p99", latencyP99Micros);
        builder.endObject();
        return builder.endObject();
    }
}

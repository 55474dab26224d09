package org.semanticranking.encoder;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.common.metrics.ExponentialBucketHistogram;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;

/**
 * Latency of one lane in microseconds: the count, the exact total (so that a caller can take the mean over any
 * interval from two snapshots, as with Elasticsearch's {@code time_in_millis}), and p50/p90/p99 as upper bounds of
 * ES's power-of-two histogram buckets.
 */
public record LatencyPercentiles(long count, long totalMicros, long p50, long p90, long p99)
        implements Writeable, ToXContentObject {

    static LatencyPercentiles of(ExponentialBucketHistogram histogram, long totalMicros) {
        long[] snapshot = histogram.getSnapshot();
        int[] bounds = histogram.calculateBucketUpperBounds();
        long count = 0;
        for (long c : snapshot) {
            count += c;
        }
        if (count == 0) {
            return new LatencyPercentiles(0, 0, 0, 0, 0);
        }
        return new LatencyPercentiles(
                count,
                totalMicros,
                histogram.getPercentile(0.5f, snapshot, bounds),
                histogram.getPercentile(0.9f, snapshot, bounds),
                histogram.getPercentile(0.99f, snapshot, bounds));
    }

    public LatencyPercentiles(StreamInput in) throws IOException {
        this(in.readVLong(), in.readVLong(), in.readLong(), in.readLong(), in.readLong());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVLong(count);
        out.writeVLong(totalMicros);
        out.writeLong(p50);
        out.writeLong(p90);
        out.writeLong(p99);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject()
                .field("count", count)
                .field("total_micros", totalMicros)
                .field("mean", count == 0 ? 0 : totalMicros / count)
                .field("p50", p50)
                .field("p90", p90)
                .field("p99", p99)
                .endObject();
    }
}

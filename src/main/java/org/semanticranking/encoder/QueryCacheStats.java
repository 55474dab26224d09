package org.semanticranking.encoder;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;

/** The query vector cache of one node: entries, hits, misses (each one encode) and coalesced waits. */
public record QueryCacheStats(long size, long hits, long misses, long coalesced)
        implements Writeable, ToXContentObject {

    public static final QueryCacheStats EMPTY = new QueryCacheStats(0, 0, 0, 0);

    public QueryCacheStats(StreamInput in) throws IOException {
        this(in.readVLong(), in.readVLong(), in.readVLong(), in.readVLong());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVLong(size);
        out.writeVLong(hits);
        out.writeVLong(misses);
        out.writeVLong(coalesced);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject()
                .field("size", size)
                .field("hits", hits)
                .field("misses", misses)
                .field("coalesced", coalesced)
                .endObject();
    }
}

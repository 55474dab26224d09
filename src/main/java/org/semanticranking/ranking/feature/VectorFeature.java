package org.semanticranking.ranking.feature;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Objects;
import java.util.Set;

/**
 * The cosine of the request text's vector and the hit's {@code dense_vector}: {@code {"vector": {"field":
 * "product_vector"}}}. The text is encoded once per request on the coordinating node, with the field's model (the one
 * its pipeline embeds it with) unless {@code model} names another, through the node's query vector cache.
 */
public record VectorFeature(String name, String field, String text, String model) implements Feature {

    public static final String KIND = "vector";

    public VectorFeature {
        Objects.requireNonNull(field);
        text = text == null ? QueryText.DEFAULT : text;
    }

    VectorFeature(String name, StreamInput in) throws IOException {
        this(name, in.readString(), in.readString(), in.readOptionalString());
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<String> placeholders() {
        return QueryText.placeholders(text);
    }

    @Override
    public void kindToXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(KIND).field("field", field).field("text", text);
        if (model != null) {
            builder.field("model", model);
        }
        builder.endObject();
    }

    @Override
    public void writeKind(StreamOutput out) throws IOException {
        out.writeString(field);
        out.writeString(text);
        out.writeOptionalString(model);
    }
}

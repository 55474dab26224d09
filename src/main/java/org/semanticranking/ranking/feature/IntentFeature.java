package org.semanticranking.ranking.feature;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Objects;
import java.util.Set;

/**
 * Whether the request text names a value of a keyword field (a brand, a colour, a type: the catalogue's own values, as
 * {@code semantic_intent} reads them) and the hit has it: {@code {"intent": {"field": "brand"}}}. 1 when the text names
 * a value the hit has, -1 when it names values the hit has none of, 0 when it names none.
 */
public record IntentFeature(String name, String field, String text) implements Feature {

    public static final String KIND = "intent";

    public IntentFeature {
        Objects.requireNonNull(field);
        text = text == null ? QueryText.DEFAULT : text;
    }

    IntentFeature(String name, StreamInput in) throws IOException {
        this(name, in.readString(), in.readString());
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
        builder.startObject(KIND).field("field", field).field("text", text).endObject();
    }

    @Override
    public void writeKind(StreamOutput out) throws IOException {
        out.writeString(field);
        out.writeString(text);
    }
}

package org.semanticranking.ranking.feature;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Set;

/**
 * A value of the request, the same for every hit, so that trees can weigh the other features differently per request
 * (what one global fusion weight cannot): {@code {"query_level": {"measure": "terms"}}}.
 */
public record QueryLevelFeature(String name, Measure measure, String text) implements Feature {

    public static final String KIND = "query_level";

    public enum Measure {
        /** the number of whitespace-separated words of the text */
        TERMS,
        /** 1 when the text has a digit, else 0 */
        HAS_NUMBERS,
        /** the best lexical score of a {@code semantic_hybrid} first stage (0 without one) */
        LEXICAL_TOP_SCORE,
        /** the best semantic score of a {@code semantic_hybrid} first stage (0 without one) */
        SEMANTIC_TOP_SCORE,
        /** the best first-pass score: of the hybrid's fused list, or else of the shard's window */
        FIRST_PASS_TOP_SCORE;

        public static Measure parse(String feature, String value) {
            return FeatureOptions.parse(Measure.class, feature, "measure", value);
        }

        public String value() {
            return FeatureOptions.value(this);
        }

        /** Whether the coordinating node computes it from the text alone. */
        public boolean ofText() {
            return this == TERMS || this == HAS_NUMBERS;
        }
    }

    public QueryLevelFeature {
        // a first stage's top score reads no text: one form for equality and for the stored feature
        text = text == null || (measure != null && measure.ofText() == false) ? QueryText.DEFAULT : text;
    }

    QueryLevelFeature(String name, StreamInput in) throws IOException {
        this(name, in.readEnum(Measure.class), in.readString());
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<String> placeholders() {
        return measure.ofText() ? QueryText.placeholders(text) : Set.of();
    }

    @Override
    public void kindToXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(KIND).field("measure", measure.value());
        if (measure.ofText()) {
            builder.field("text", text);
        }
        builder.endObject();
    }

    @Override
    public void writeKind(StreamOutput out) throws IOException {
        out.writeEnum(measure);
        out.writeString(text);
    }
}

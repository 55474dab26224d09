package org.semanticranking.ranking.feature;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Set;

/**
 * What the first stage said of the hit: {@code {"first_pass": "score"}}, and after a {@code semantic_hybrid} each side's
 * score and rank. A hit that a side did not return has score 0 and rank {@code window + 1}; without a hybrid first
 * stage the side values are those of a hit no side returned.
 */
public record FirstPassFeature(String name, Measure measure) implements Feature {

    public static final String KIND = "first_pass";

    public enum Measure {
        SCORE,
        LEXICAL_SCORE,
        SEMANTIC_SCORE,
        LEXICAL_RANK,
        SEMANTIC_RANK;

        public static Measure parse(String feature, String value) {
            return FeatureOptions.parse(Measure.class, feature, "first_pass", value);
        }

        public String value() {
            return FeatureOptions.value(this);
        }
    }

    FirstPassFeature(String name, StreamInput in) throws IOException {
        this(name, in.readEnum(Measure.class));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<String> placeholders() {
        return Set.of();
    }

    @Override
    public void kindToXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field(KIND, measure.value());
    }

    @Override
    public void writeKind(StreamOutput out) throws IOException {
        out.writeEnum(measure);
    }
}

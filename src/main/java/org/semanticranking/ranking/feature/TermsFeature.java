package org.semanticranking.ranking.feature;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Objects;
import java.util.Set;

/**
 * How the request text's terms, analyzed as the field's searches are, meet the hit's field: {@code {"terms": {"field":
 * "title", "measure": "share"}}}. Read from the field's postings for the window's hits only.
 */
public record TermsFeature(String name, String field, Measure measure, String text) implements Feature {

    public static final String KIND = "terms";

    public enum Measure {
        /** the share of the text's distinct terms that the hit's field has (0 for a text without terms) */
        SHARE,
        /** 1 when the field has every term of the text, else 0 */
        ALL,
        /** how many of the text's distinct terms the field has */
        COUNT,
        /** the share of the text's terms with a digit (sizes, model codes) that the field has; 0 when the text has none */
        NUMBERS;

        public static Measure parse(String feature, String value) {
            return FeatureOptions.parse(Measure.class, feature, "measure", value);
        }

        public String value() {
            return FeatureOptions.value(this);
        }
    }

    public TermsFeature {
        Objects.requireNonNull(field);
        measure = measure == null ? Measure.SHARE : measure;
        text = text == null ? QueryText.DEFAULT : text;
    }

    TermsFeature(String name, StreamInput in) throws IOException {
        this(name, in.readString(), in.readEnum(Measure.class), in.readString());
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
        builder.startObject(KIND)
                .field("field", field)
                .field("measure", measure.value())
                .field("text", text)
                .endObject();
    }

    @Override
    public void writeKind(StreamOutput out) throws IOException {
        out.writeString(field);
        out.writeEnum(measure);
        out.writeString(text);
    }
}

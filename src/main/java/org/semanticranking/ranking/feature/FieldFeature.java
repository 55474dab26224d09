package org.semanticranking.ranking.feature;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Objects;
import java.util.Set;

/**
 * A numeric doc value of the hit, through a modifier: {@code {"field": {"name": "price", "modifier": "log1p",
 * "missing": 0}}}. A multi-valued field gives its lowest value; a hit without one gives {@code missing} (before the
 * modifier, as {@code field_value_factor} does).
 */
public record FieldFeature(String name, String field, Modifier modifier, double missing) implements Feature {

    public static final String KIND = "field";

    /** What is applied to the value; a value it cannot take (the log of a negative number) is an error, as in {@code field_value_factor}. */
    public enum Modifier {
        NONE,
        LOG1P,
        LN1P,
        LOG,
        LN,
        SQRT,
        SQUARE,
        RECIPROCAL;

        public static Modifier parse(String feature, String value) {
            return FeatureOptions.parse(Modifier.class, feature, "modifier", value);
        }

        public double apply(double v) {
            return switch (this) {
                case NONE -> v;
                case LOG1P -> Math.log10(v + 1);
                case LN1P -> Math.log1p(v);
                case LOG -> Math.log10(v);
                case LN -> Math.log(v);
                case SQRT -> Math.sqrt(v);
                case SQUARE -> v * v;
                case RECIPROCAL -> 1 / v;
            };
        }

        public String value() {
            return FeatureOptions.value(this);
        }
    }

    public FieldFeature {
        Objects.requireNonNull(field);
        modifier = modifier == null ? Modifier.NONE : modifier;
        if (Double.isFinite(missing) == false) {
            throw new IllegalArgumentException(
                    "[learned_rank] feature [" + name + "]: [missing] must be a finite number");
        }
    }

    FieldFeature(String name, StreamInput in) throws IOException {
        this(name, in.readString(), in.readEnum(Modifier.class), in.readDouble());
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
        builder.startObject(KIND)
                .field("name", field)
                .field("modifier", modifier.value())
                .field("missing", missing)
                .endObject();
    }

    @Override
    public void writeKind(StreamOutput out) throws IOException {
        out.writeString(field);
        out.writeEnum(modifier);
        out.writeDouble(missing);
    }
}

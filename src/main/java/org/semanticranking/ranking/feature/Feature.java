package org.semanticranking.ranking.feature;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One feature of a ranker, as a request or a stored feature set defines it: a name and one kind. What it reads from the
 * request ({@code {{placeholders}}} in a query or a text) is filled on the coordinating node, which turns it into a
 * {@link BoundFeature} that the shards compute.
 */
public sealed interface Feature extends Writeable, ToXContentObject
        permits QueryFeature,
                VectorFeature,
                FieldFeature,
                FirstPassFeature,
                TermsFeature,
                QueryLevelFeature,
                IntentFeature,
                ShopperFeature,
                ClicksFeature,
                WindowFeature {

    Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9_.\\-]{1,100}");

    /** The feature's name: unique in its list, shown in explain, breakdowns and importances. */
    String name();

    /** The kind, as written in the request: {@code query}, {@code vector}, {@code field}, ... */
    String kind();

    /** The request parameters it reads. */
    Set<String> placeholders();

    /** The body of the kind, written after the name. */
    void kindToXContent(XContentBuilder builder, Params params) throws IOException;

    void writeKind(StreamOutput out) throws IOException;

    @Override
    default XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("name", name());
        kindToXContent(builder, params);
        return builder.endObject();
    }

    @Override
    default void writeTo(StreamOutput out) throws IOException {
        out.writeString(kind());
        out.writeString(name());
        writeKind(out);
    }

    static Feature readFrom(StreamInput in) throws IOException {
        String kind = in.readString();
        String name = in.readString();
        return switch (kind) {
            case QueryFeature.KIND -> new QueryFeature(name, in);
            case VectorFeature.KIND -> new VectorFeature(name, in);
            case FieldFeature.KIND -> new FieldFeature(name, in);
            case FirstPassFeature.KIND -> new FirstPassFeature(name, in);
            case TermsFeature.KIND -> new TermsFeature(name, in);
            case QueryLevelFeature.KIND -> new QueryLevelFeature(name, in);
            case IntentFeature.KIND -> new IntentFeature(name, in);
            case ShopperFeature.KIND -> new ShopperFeature(name, in);
            case ClicksFeature.KIND -> new ClicksFeature(name, in);
            case WindowFeature.KIND -> new WindowFeature(name, in);
            default -> throw new IllegalStateException("unknown feature kind [" + kind + "]");
        };
    }
}

package org.semanticranking.ranking.feature;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Objects;
import java.util.Set;

/**
 * What the logged impressions of the request's query say of the hit: {@code {"clicks": {"measure": "coec"}}}. The
 * query's clicks per product are read once per search on the coordinating node from the events index (cached on the
 * node for {@code semantic_ranking.ranking.clicks_refresh}) and sent to the shards with the features.
 *
 * <ul>
 *   <li>{@code coec}: the hit's clicks over the clicks its slots lead one to expect (each slot's click-through over all
 *       queries), with {@code prior} expected clicks of evidence for 1: 1 for a product never shown for the query, above
 *       1 for one chosen more often than where it was shown explains;</li>
 *   <li>{@code impressions}: the log of one plus the times it was shown for the query (how sure its COEC is);</li>
 *   <li>{@code clicks}: the log of one plus the impressions in which it was clicked.</li>
 * </ul>
 *
 * The query is matched as logged, ignoring case; {@code index} is the events index (the node's interactions index when
 * left out); {@code slots} the slots read (default 10), {@code max_products} the products kept per query (the most
 * shown, default 1,000).
 */
public record ClicksFeature(
        String name, Measure measure, String text, @Nullable String index, int slots, int maxProducts, double prior)
        implements Feature {

    public static final String KIND = "clicks";
    public static final int DEFAULT_SLOTS = 10;
    public static final int DEFAULT_MAX_PRODUCTS = 1000;
    public static final double DEFAULT_PRIOR = 1;

    public enum Measure {
        COEC,
        IMPRESSIONS,
        CLICKS;

        public static Measure parse(String feature, String value) {
            return FeatureOptions.parse(Measure.class, feature, "measure", value);
        }

        public String value() {
            return FeatureOptions.value(this);
        }
    }

    public ClicksFeature {
        Objects.requireNonNull(measure);
        text = text == null ? QueryText.DEFAULT : text;
        // only COEC has a prior: the same feature whatever another measure was given
        prior = measure == Measure.COEC ? prior : DEFAULT_PRIOR;
        if (slots < 1 || slots > 100) {
            throw new IllegalArgumentException("[learned_rank] feature [" + name
                    + "]: [clicks] [slots] must be between 1 and 100 but was [" + slots + "]");
        }
        if (maxProducts < 1 || maxProducts > 10_000) {
            throw new IllegalArgumentException("[learned_rank] feature [" + name
                    + "]: [clicks] [max_products] must be between 1 and 10000 but was [" + maxProducts + "]");
        }
        if (Double.isFinite(prior) == false || prior <= 0) {
            throw new IllegalArgumentException("[learned_rank] feature [" + name
                    + "]: [clicks] [prior] must be a positive number but was [" + prior + "]");
        }
        if (index != null && index.isBlank()) {
            throw new IllegalArgumentException(
                    "[learned_rank] feature [" + name + "]: [clicks] [index] must not be blank");
        }
    }

    ClicksFeature(String name, StreamInput in) throws IOException {
        this(
                name,
                in.readEnum(Measure.class),
                in.readString(),
                in.readOptionalString(),
                in.readVInt(),
                in.readVInt(),
                in.readDouble());
    }

    /** What one read of the events gives: features that differ only in their measure share it. */
    record Source(String text, String index, int slots, int maxProducts) {}

    Source source(String filledText) {
        return new Source(filledText, index, slots, maxProducts);
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
        builder.startObject(KIND).field("measure", measure.value()).field("text", text);
        if (index != null) {
            builder.field("index", index);
        }
        builder.field("slots", slots).field("max_products", maxProducts);
        if (measure == Measure.COEC) {
            builder.field("prior", prior);
        }
        builder.endObject();
    }

    @Override
    public void writeKind(StreamOutput out) throws IOException {
        out.writeEnum(measure);
        out.writeString(text);
        out.writeOptionalString(index);
        out.writeVInt(slots);
        out.writeVInt(maxProducts);
        out.writeDouble(prior);
    }
}

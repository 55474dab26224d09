package org.semanticranking.ranking.feature;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the shopper's profile and latest events say of the hit, as {@code personalized_blend} computes it:
 * {@code {"shopper": {"measure": "profile_cosine", "field": "product_vector"}}}. The shopper is the request's
 * {@code {{user_id}}} (or the text in {@code user}); their profile and session are loaded once per search on the
 * coordinating node. Every measure is 0 for a shopper with no profile (the ranker's non-personal part), with a warning.
 *
 * <ul>
 *   <li>{@code profile_cosine}: the cosine of the profile's vector and the hit's ({@code field}: the vector field);</li>
 *   <li>{@code session_cosine}: of the mean vector of the shopper's latest {@code session_size} events and the hit's;</li>
 *   <li>{@code session_max_cosine}: the hit's highest cosine with the products of those events, one by one: how close
 *       it is to the nearest thing the shopper chose lately, where the mean of several interests is close to none;</li>
 *   <li>{@code affinity}: the shopper's share for the hit's values of a keyword field ({@code field}, one of the
 *       profile's {@code affinity_fields}), at most 1;</li>
 *   <li>{@code price_fit}: 1 at the shopper's typical log price, falling as a Gaussian with the spread of their
 *       prices ({@code field}: the price field);</li>
 *   <li>{@code price_taste}: the log of how much more the shopper clicks at the hit's price than the lists they were
 *       shown predict ({@code personalized_blend}'s {@code price_lift}: 0 where they click as anyone would, above where
 *       they click more; {@code field}: the price field). Its profile needs impressions with slots.</li>
 *   <li>{@code price_position}: where the hit's price lies in the shard's window (-1 the cheapest, 1 the dearest)
 *       times where in their lists' price range the shopper clicks (-1 the cheapest end, 1 the dearest): above 0 for
 *       a hit at the end of the window the shopper goes for ({@code field}: the price field; a profile built from
 *       impressions).</li>
 * </ul>
 */
public record ShopperFeature(String name, Measure measure, String field, String user, int sessionSize)
        implements Feature {

    public static final String KIND = "shopper";
    public static final String DEFAULT_USER = "{{user_id}}";
    public static final int DEFAULT_SESSION_SIZE = 10;

    public enum Measure {
        PROFILE_COSINE,
        SESSION_COSINE,
        SESSION_MAX_COSINE,
        AFFINITY,
        PRICE_FIT,
        PRICE_TASTE,
        PRICE_POSITION;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether it reads the shopper's latest events ({@code session_size} of them). */
        public boolean readsSession() {
            return this == SESSION_COSINE || this == SESSION_MAX_COSINE;
        }

        /** Whether it reads a vector field. */
        public boolean readsVectors() {
            return this == PROFILE_COSINE || readsSession();
        }

        static Measure parse(String feature, String value) {
            for (Measure m : values()) {
                if (m.value().equals(value)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("[learned_rank] feature [" + feature + "]: [shopper] [measure] must be "
                    + "one of "
                    + Arrays.stream(values()).map(Measure::value).collect(Collectors.joining(", ", "[", "]"))
                    + " but was [" + value + "]");
        }
    }

    public ShopperFeature {
        Objects.requireNonNull(measure);
        Objects.requireNonNull(field);
        user = user == null ? DEFAULT_USER : user;
        // only the session has a size: the same feature whatever another measure was given
        sessionSize = measure.readsSession() ? sessionSize : DEFAULT_SESSION_SIZE;
        if (sessionSize < 1 || sessionSize > 100) {
            throw new IllegalArgumentException("[learned_rank] feature [" + name
                    + "]: [shopper] [session_size] must be between 1 and 100 but was [" + sessionSize + "]");
        }
    }

    ShopperFeature(String name, StreamInput in) throws IOException {
        this(name, in.readEnum(Measure.class), in.readString(), in.readString(), in.readVInt());
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<String> placeholders() {
        return QueryText.placeholders(user);
    }

    @Override
    public void kindToXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(KIND)
                .field("measure", measure.value())
                .field("field", field)
                .field("user", user);
        if (measure.readsSession()) {
            builder.field("session_size", sessionSize);
        }
        builder.endObject();
    }

    @Override
    public void writeKind(StreamOutput out) throws IOException {
        out.writeEnum(measure);
        out.writeString(field);
        out.writeString(user);
        out.writeVInt(sessionSize);
    }
}

package org.semanticranking.ranking.rescore;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParseException;
import org.elasticsearch.xcontent.XContentParser;
import org.semanticranking.judgments.QueryClicks;
import org.semanticranking.personalization.context.ShopperContext;
import org.semanticranking.personalization.profile.UserProfile;
import org.semanticranking.ranking.feature.Feature;
import org.semanticranking.ranking.feature.FeatureParser;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@code learned_rank} asks for: a ranker to score the window with ({@code ranker_id}), or only features to log
 * ({@code features} inline or a stored {@code feature_set}: the hits keep their order and get their feature values in
 * {@code fields._learned_rank}); the {@code params} that fill the features' placeholders; whether each hit shows its
 * features and their parts of the score ({@code score_breakdown}); and, in place of the stored profile of the request's
 * shopper, an inline {@code shopper} ({@code {"profile": {...}, "session_vector": [...], "session_vectors": [[...]]}}: the
 * profile as the profiles index holds it, the mean vector of the latest events' products and those vectors): how a training from impressions gives each impression the shopper as they were before it.
 * Likewise, in place of reading the query's clicks from the events, inline {@code clicks} ({@code {"<product id>":
 * {"clicked": 2, "expected": 1.4, "shown": 9}}}): how a training gives each impression the clicks of every other shopper.
 */
public final class LearnedRankOptions implements Writeable, ToXContentFragment {

    static final String NAME = LearnedRankRescorerBuilder.NAME;
    static final ParseField RANKER_ID = new ParseField("ranker_id");
    static final ParseField FEATURES = new ParseField("features");
    static final ParseField FEATURE_SET = new ParseField("feature_set");
    static final ParseField PARAMS = new ParseField("params");
    static final ParseField SCORE_BREAKDOWN = new ParseField("score_breakdown");
    static final ParseField SHOPPER = new ParseField("shopper");
    static final ParseField CLICKS = new ParseField("clicks");

    private final String rankerId;
    private final List<Feature> features;
    private final String featureSet;
    private final Map<String, Object> params;
    private final boolean scoreBreakdown;
    private final ShopperContext shopper;
    private final QueryClicks clicks;

    public LearnedRankOptions(
            String rankerId,
            List<Feature> features,
            String featureSet,
            Map<String, Object> params,
            boolean scoreBreakdown) {
        this(rankerId, features, featureSet, params, scoreBreakdown, null, null);
    }

    /**
     * @param shopper the shopper every shopper feature reads, in place of loading the profile; {@code null} to load it
     * @param clicks  the query's clicks every clicks feature reads, in place of reading the events; {@code null} to read
     */
    public LearnedRankOptions(
            String rankerId,
            List<Feature> features,
            String featureSet,
            Map<String, Object> params,
            boolean scoreBreakdown,
            ShopperContext shopper,
            QueryClicks clicks) {
        int given = (rankerId != null ? 1 : 0) + (features != null ? 1 : 0) + (featureSet != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("[" + NAME + "] needs exactly one of [ranker_id] (to rank), [features] "
                    + "or [feature_set] (to log feature values)");
        }
        this.rankerId = rankerId;
        this.features = features == null ? null : FeatureParser.checkList(features);
        this.featureSet = featureSet;
        this.params = params == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        this.scoreBreakdown = scoreBreakdown;
        this.shopper = shopper;
        this.clicks = clicks;
    }

    public LearnedRankOptions(StreamInput in) throws IOException {
        this.rankerId = in.readOptionalString();
        this.features = in.readBoolean() ? in.readCollectionAsList(Feature::readFrom) : null;
        this.featureSet = in.readOptionalString();
        this.params = in.readGenericMap();
        this.scoreBreakdown = in.readBoolean();
        this.shopper = in.readOptionalWriteable(ShopperContext::new);
        this.clicks = in.readOptionalWriteable(QueryClicks::new);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalString(rankerId);
        out.writeBoolean(features != null);
        if (features != null) {
            out.writeCollection(features);
        }
        out.writeOptionalString(featureSet);
        out.writeGenericMap(params);
        out.writeBoolean(scoreBreakdown);
        out.writeOptionalWriteable(shopper);
        out.writeOptionalWriteable(clicks);
    }

    private static final class Builder {
        String rankerId;
        List<Feature> features;
        String featureSet;
        Map<String, Object> params;
        boolean scoreBreakdown;
        ShopperContext shopper;
        QueryClicks clicks;
    }

    private static final ObjectParser<Builder, Void> PARSER = new ObjectParser<>(
            NAME,
            (b, f, v) -> {
                throw new XContentParseException("[" + NAME + "] unknown field [" + f + "]");
            },
            Builder::new);

    static {
        PARSER.declareString((b, v) -> b.rankerId = v, RANKER_ID);
        PARSER.declareField(
                (b, v) -> b.features = v,
                (p, c) -> FeatureParser.parseList(p),
                FEATURES,
                ObjectParser.ValueType.OBJECT_ARRAY);
        PARSER.declareString((b, v) -> b.featureSet = v, FEATURE_SET);
        PARSER.declareObject((b, v) -> b.params = v, (p, c) -> p.map(), PARAMS);
        PARSER.declareBoolean((b, v) -> b.scoreBreakdown = v, SCORE_BREAKDOWN);
        PARSER.declareObject((b, v) -> b.shopper = v, (p, c) -> shopper(p.map()), SHOPPER);
        PARSER.declareObject((b, v) -> b.clicks = v, (p, c) -> clicks(p.map()), CLICKS);
    }

    public static LearnedRankOptions fromXContent(XContentParser parser) throws IOException {
        Builder b = PARSER.parse(parser, null);
        return new LearnedRankOptions(
                b.rankerId, b.features, b.featureSet, b.params, b.scoreBreakdown, b.shopper, b.clicks);
    }

    /** An inline shopper: {@code profile} (as the profiles index holds it) and {@code session_vector}, each optional. */
    static ShopperContext shopper(Map<String, Object> map) {
        for (String key : map.keySet()) {
            if (List.of("profile", "session_vector", "session_vectors").contains(key) == false) {
                throw new IllegalArgumentException("[" + NAME + "] [shopper] takes [profile], [session_vector] and "
                        + "[session_vectors] but got [" + key + "]");
            }
        }
        UserProfile profile = null;
        if (map.get("profile") instanceof Map<?, ?> p) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) p;
            Object user = fields.get("user_id");
            profile = UserProfile.fromMap(user == null ? null : user.toString(), fields);
        } else if (map.get("profile") != null) {
            throw new IllegalArgumentException("[" + NAME + "] [shopper.profile] must be an object (a user profile)");
        }
        float[] session =
                map.get("session_vector") == null ? null : vector(map.get("session_vector"), "session_vector");
        List<float[]> recent = new java.util.ArrayList<>();
        if (map.get("session_vectors") instanceof List<?> vectors) {
            for (Object v : vectors) {
                recent.add(vector(v, "session_vectors"));
            }
        } else if (map.get("session_vectors") != null) {
            throw new IllegalArgumentException("[" + NAME
                    + "] [shopper.session_vectors] must be an array of vectors (the latest events' products)");
        }
        return new ShopperContext(profile, session, recent, null, List.of());
    }

    /** Inline clicks: each product's {@code clicked}, {@code expected} and {@code shown}, non-negative numbers. */
    static QueryClicks clicks(Map<String, Object> map) {
        Map<String, QueryClicks.Counts> counts = new HashMap<>();
        map.forEach((id, value) -> {
            if (value instanceof Map<?, ?> c
                    && c.keySet().stream()
                            .allMatch(
                                    k -> List.of("clicked", "expected", "shown").contains(k))) {
                counts.put(id, new QueryClicks.Counts(count(c, "clicked"), count(c, "expected"), count(c, "shown")));
            } else {
                throw new IllegalArgumentException("[" + NAME + "] [clicks." + id + "] must be an object of [clicked], "
                        + "[expected] and [shown]");
            }
        });
        return new QueryClicks(counts);
    }

    private static double count(Map<?, ?> counts, String field) {
        Object v = counts.get(field);
        if (v == null) {
            return 0;
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= 0) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("[" + NAME + "] [clicks] [" + field + "] must be a non-negative number");
    }

    private static float[] vector(Object value, String field) {
        if (value instanceof List<?> values) {
            float[] v = new float[values.size()];
            for (int i = 0; i < v.length; i++) {
                if (values.get(i) instanceof Number n && Double.isFinite(n.doubleValue())) {
                    v[i] = n.floatValue();
                } else {
                    throw new IllegalArgumentException(
                            "[" + NAME + "] [shopper." + field + "] must hold finite numbers only");
                }
            }
            return v;
        }
        throw new IllegalArgumentException("[" + NAME + "] [shopper." + field + "] must be an array of numbers");
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params p) throws IOException {
        if (rankerId != null) {
            builder.field(RANKER_ID.getPreferredName(), rankerId);
        }
        if (features != null) {
            builder.startArray(FEATURES.getPreferredName());
            for (Feature f : features) {
                f.toXContent(builder, p);
            }
            builder.endArray();
        }
        if (featureSet != null) {
            builder.field(FEATURE_SET.getPreferredName(), featureSet);
        }
        if (params.isEmpty() == false) {
            builder.field(PARAMS.getPreferredName(), params);
        }
        if (scoreBreakdown) {
            builder.field(SCORE_BREAKDOWN.getPreferredName(), true);
        }
        if (shopper != null) {
            builder.startObject(SHOPPER.getPreferredName());
            if (shopper.profile() != null) {
                builder.field("profile", shopper.profile());
            }
            if (shopper.sessionVector() != null) {
                builder.array("session_vector", shopper.sessionVector());
            }
            if (shopper.recent().isEmpty() == false) {
                builder.startArray("session_vectors");
                for (float[] v : shopper.recent()) {
                    builder.value(v);
                }
                builder.endArray();
            }
            builder.endObject();
        }
        if (clicks != null) {
            builder.startObject(CLICKS.getPreferredName());
            for (Map.Entry<String, QueryClicks.Counts> e : new java.util.TreeMap<>(clicks.byProduct()).entrySet()) {
                builder.startObject(e.getKey())
                        .field("clicked", e.getValue().clicked())
                        .field("expected", e.getValue().expected())
                        .field("shown", e.getValue().shown())
                        .endObject();
            }
            builder.endObject();
        }
        return builder;
    }

    public String rankerId() {
        return rankerId;
    }

    /** The inline features (logging only), or {@code null}. */
    public List<Feature> features() {
        return features;
    }

    public String featureSet() {
        return featureSet;
    }

    public Map<String, Object> params() {
        return params;
    }

    public boolean scoreBreakdown() {
        return scoreBreakdown;
    }

    /** The inline shopper, or {@code null} when the shopper features load the request's shopper. */
    public ShopperContext shopper() {
        return shopper;
    }

    /** The inline clicks, or {@code null} when the clicks features read the events. */
    public QueryClicks clicks() {
        return clicks;
    }

    /** Whether it ranks (a ranker) or only logs feature values. */
    public boolean ranks() {
        return rankerId != null;
    }

    /** Whether the request text is left to the search's {@code semantic_intent}. */
    boolean needsQueryText() {
        return params.containsKey("query") == false;
    }

    LearnedRankOptions withQueryText(String text) {
        Map<String, Object> filled = new HashMap<>(params);
        filled.put("query", text);
        return new LearnedRankOptions(rankerId, features, featureSet, filled, scoreBreakdown, shopper, clicks);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearnedRankOptions other
                && Objects.equals(rankerId, other.rankerId)
                && Objects.equals(features, other.features)
                && Objects.equals(featureSet, other.featureSet)
                && params.equals(other.params)
                && scoreBreakdown == other.scoreBreakdown
                && Objects.equals(shopper, other.shopper)
                && Objects.equals(clicks, other.clicks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rankerId, features, featureSet, params, scoreBreakdown, shopper, clicks);
    }
}

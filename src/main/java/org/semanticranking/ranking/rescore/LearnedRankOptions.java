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
 * features and their parts of the score ({@code score_breakdown}).
 */
public final class LearnedRankOptions implements Writeable, ToXContentFragment {

    static final String NAME = LearnedRankRescorerBuilder.NAME;
    static final ParseField RANKER_ID = new ParseField("ranker_id");
    static final ParseField FEATURES = new ParseField("features");
    static final ParseField FEATURE_SET = new ParseField("feature_set");
    static final ParseField PARAMS = new ParseField("params");
    static final ParseField SCORE_BREAKDOWN = new ParseField("score_breakdown");

    private final String rankerId;
    private final List<Feature> features;
    private final String featureSet;
    private final Map<String, Object> params;
    private final boolean scoreBreakdown;

    public LearnedRankOptions(
            String rankerId,
            List<Feature> features,
            String featureSet,
            Map<String, Object> params,
            boolean scoreBreakdown) {
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
    }

    public LearnedRankOptions(StreamInput in) throws IOException {
        this.rankerId = in.readOptionalString();
        this.features = in.readBoolean() ? in.readCollectionAsList(Feature::readFrom) : null;
        this.featureSet = in.readOptionalString();
        this.params = in.readGenericMap();
        this.scoreBreakdown = in.readBoolean();
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
    }

    private static final class Builder {
        String rankerId;
        List<Feature> features;
        String featureSet;
        Map<String, Object> params;
        boolean scoreBreakdown;
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
    }

    public static LearnedRankOptions fromXContent(XContentParser parser) throws IOException {
        Builder b = PARSER.parse(parser, null);
        return new LearnedRankOptions(b.rankerId, b.features, b.featureSet, b.params, b.scoreBreakdown);
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
        return new LearnedRankOptions(rankerId, features, featureSet, filled, scoreBreakdown);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearnedRankOptions other
                && Objects.equals(rankerId, other.rankerId)
                && Objects.equals(features, other.features)
                && Objects.equals(featureSet, other.featureSet)
                && params.equals(other.params)
                && scoreBreakdown == other.scoreBreakdown;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rankerId, features, featureSet, params, scoreBreakdown);
    }
}

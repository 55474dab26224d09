package org.semanticranking.rescore;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.semanticranking.personalization.profile.UserProfile;
import org.semanticranking.scoring.Normalization;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a {@code personalized_blend} asks for, read and checked: immutable, on the wire and in XContent. Parsed with an
 * {@link ObjectParser} into its {@link Builder}, which is also how code makes one.
 */
public final class BlendOptions implements Writeable, ToXContentFragment {

    static final String NAME = PersonalizedBlendRescorerBuilder.NAME;
    static final ParseField USER_ID = new ParseField("user_id");
    static final ParseField USER = new ParseField("user");
    static final ParseField MODEL_ID = new ParseField("model_id");
    static final ParseField VECTOR_FIELD = new ParseField("vector_field");
    static final ParseField QUERY_TEXT = new ParseField("query_text");
    static final ParseField MODEL = new ParseField("model");
    static final ParseField QUERY_VECTOR = new ParseField("query_vector");
    static final ParseField WEIGHTS = new ParseField("weights");
    static final ParseField NORMALIZATION = new ParseField("normalization");
    static final ParseField SESSION_SIZE = new ParseField("session_size");
    static final ParseField PROFILES_INDEX = new ParseField("profiles_index");
    static final ParseField INTERACTIONS_INDEX = new ParseField("interactions_index");
    static final ParseField SCORE_BREAKDOWN = new ParseField("score_breakdown");
    static final int MAX_SESSION_SIZE = 100;

    private final String userId;
    private final UserProfile user;
    private final String modelId;
    private final String vectorField;
    private final String queryText;
    private final String model;
    private final float[] queryVector;
    private final BlendWeights weights;
    private final Normalization normalization;
    private final Integer sessionSize;
    private final String profilesIndex;
    private final String interactionsIndex;
    private final boolean scoreBreakdown;

    private BlendOptions(Builder b) {
        this.userId = b.userId;
        this.user = b.user;
        this.modelId = b.modelId;
        this.vectorField = b.vectorField;
        this.queryText = b.queryText;
        this.model = b.model;
        this.queryVector = b.queryVector;
        this.weights = b.weights == null ? BlendWeights.DEFAULT : b.weights;
        this.normalization = b.normalization == null ? Normalization.MIN_MAX : b.normalization;
        this.sessionSize = b.sessionSize;
        this.profilesIndex = b.profilesIndex;
        this.interactionsIndex = b.interactionsIndex;
        this.scoreBreakdown = b.scoreBreakdown;
        validate();
    }

    private void validate() {
        if (vectorField == null || vectorField.isBlank()) {
            throw new IllegalArgumentException("[" + NAME + "] requires [" + VECTOR_FIELD.getPreferredName() + "]");
        }
        if (userId != null && user != null) {
            throw new IllegalArgumentException("[" + NAME + "] takes [user_id] or an inline [user], not both");
        }
        if (userId != null && userId.isBlank()) {
            throw new IllegalArgumentException("[" + NAME + "] [user_id] must not be blank");
        }
        if (queryText != null && queryText.isBlank()) {
            throw new IllegalArgumentException("[" + NAME + "] [query_text] must not be blank");
        }
        if (queryText != null && queryVector != null) {
            throw new IllegalArgumentException("[" + NAME + "] takes [query_text] or [query_vector], not both");
        }
        if (queryVector != null) {
            for (float v : queryVector) {
                if (Float.isFinite(v) == false) {
                    throw new IllegalArgumentException("[" + NAME + "] [query_vector] must hold finite numbers only");
                }
            }
        }
        if (sessionSize != null && (sessionSize < 0 || sessionSize > MAX_SESSION_SIZE)) {
            throw new IllegalArgumentException("[" + NAME + "] [session_size] must be between 0 and " + MAX_SESSION_SIZE
                    + " but was [" + sessionSize + "]");
        }
    }

    public BlendOptions(StreamInput in) throws IOException {
        this(new Builder()
                .userId(in.readOptionalString())
                .user(in.readOptionalWriteable(UserProfile::new))
                .modelId(in.readOptionalString())
                .vectorField(in.readString())
                .queryText(in.readOptionalString())
                .model(in.readOptionalString())
                .queryVector(in.readBoolean() ? in.readFloatArray() : null)
                .weights(new BlendWeights(in))
                .normalization(in.readEnum(Normalization.class))
                .sessionSize(in.readOptionalVInt())
                .profilesIndex(in.readOptionalString())
                .interactionsIndex(in.readOptionalString())
                .scoreBreakdown(in.readBoolean()));
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalString(userId);
        out.writeOptionalWriteable(user);
        out.writeOptionalString(modelId);
        out.writeString(vectorField);
        out.writeOptionalString(queryText);
        out.writeOptionalString(model);
        out.writeBoolean(queryVector != null);
        if (queryVector != null) {
            out.writeFloatArray(queryVector);
        }
        weights.writeTo(out);
        out.writeEnum(normalization);
        out.writeOptionalVInt(sessionSize);
        out.writeOptionalString(profilesIndex);
        out.writeOptionalString(interactionsIndex);
        out.writeBoolean(scoreBreakdown);
    }

    public static BlendOptions fromXContent(XContentParser parser) throws IOException {
        return BlendOptionsParser.parse(parser);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        optional(builder, USER_ID, userId);
        if (user != null) {
            builder.field(USER.getPreferredName(), user);
        }
        optional(builder, MODEL_ID, modelId);
        builder.field(VECTOR_FIELD.getPreferredName(), vectorField);
        optional(builder, QUERY_TEXT, queryText);
        optional(builder, MODEL, model);
        if (queryVector != null) {
            builder.array(QUERY_VECTOR.getPreferredName(), queryVector);
        }
        builder.field(WEIGHTS.getPreferredName(), weights);
        builder.field(NORMALIZATION.getPreferredName(), normalization.value());
        if (sessionSize != null) {
            builder.field(SESSION_SIZE.getPreferredName(), sessionSize);
        }
        optional(builder, PROFILES_INDEX, profilesIndex);
        optional(builder, INTERACTIONS_INDEX, interactionsIndex);
        if (scoreBreakdown) {
            builder.field(SCORE_BREAKDOWN.getPreferredName(), true);
        }
        return builder;
    }

    private static void optional(XContentBuilder builder, ParseField field, String value) throws IOException {
        if (value != null) {
            builder.field(field.getPreferredName(), value);
        }
    }

    /** The vector part needs a query vector, and has none yet. */
    boolean needsQueryVector() {
        return weights.vector() > 0 && queryVector == null;
    }

    /** ... and no text to encode one from either (see {@link QueryTextFromFirstPass}). */
    boolean needsQueryText() {
        return needsQueryVector() && queryText == null;
    }

    /** These options with the text (and model) of the request's {@code semantic_intent}. */
    BlendOptions withQueryText(String text, String encoderModel) {
        return toBuilder()
                .queryText(text)
                .model(model != null ? model : encoderModel)
                .queryVector(null)
                .build();
    }

    Builder toBuilder() {
        return new Builder()
                .userId(userId)
                .user(user)
                .modelId(modelId)
                .vectorField(vectorField)
                .queryText(queryText)
                .model(model)
                .queryVector(queryVector)
                .weights(weights)
                .normalization(normalization)
                .sessionSize(sessionSize)
                .profilesIndex(profilesIndex)
                .interactionsIndex(interactionsIndex)
                .scoreBreakdown(scoreBreakdown);
    }

    public String userId() {
        return userId;
    }

    public UserProfile user() {
        return user;
    }

    public String modelId() {
        return modelId;
    }

    public String vectorField() {
        return vectorField;
    }

    public String queryText() {
        return queryText;
    }

    public String model() {
        return model;
    }

    public float[] queryVector() {
        return queryVector;
    }

    public BlendWeights weights() {
        return weights;
    }

    public Normalization normalization() {
        return normalization;
    }

    public Integer sessionSize() {
        return sessionSize;
    }

    public String profilesIndex() {
        return profilesIndex;
    }

    public String interactionsIndex() {
        return interactionsIndex;
    }

    public boolean scoreBreakdown() {
        return scoreBreakdown;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlendOptions other
                && Objects.equals(userId, other.userId)
                && Objects.equals(user, other.user)
                && Objects.equals(modelId, other.modelId)
                && vectorField.equals(other.vectorField)
                && Objects.equals(queryText, other.queryText)
                && Objects.equals(model, other.model)
                && Arrays.equals(queryVector, other.queryVector)
                && weights.equals(other.weights)
                && normalization == other.normalization
                && Objects.equals(sessionSize, other.sessionSize)
                && Objects.equals(profilesIndex, other.profilesIndex)
                && Objects.equals(interactionsIndex, other.interactionsIndex)
                && scoreBreakdown == other.scoreBreakdown;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                userId,
                user,
                modelId,
                vectorField,
                queryText,
                model,
                Arrays.hashCode(queryVector),
                weights,
                normalization,
                sessionSize,
                profilesIndex,
                interactionsIndex,
                scoreBreakdown);
    }

    /** Gathers the options; {@link #build()} checks them. */
    public static final class Builder {
        private String userId, modelId, vectorField, queryText, model, profilesIndex, interactionsIndex;
        private UserProfile user;
        private float[] queryVector;
        private BlendWeights weights;
        private Normalization normalization;
        private Integer sessionSize;
        private boolean scoreBreakdown;

        public Builder userId(String v) {
            userId = v;
            return this;
        }

        public Builder user(UserProfile v) {
            user = v;
            return this;
        }

        public Builder modelId(String v) {
            modelId = v;
            return this;
        }

        public Builder vectorField(String v) {
            vectorField = v;
            return this;
        }

        public Builder queryText(String v) {
            queryText = v;
            return this;
        }

        public Builder model(String v) {
            model = v;
            return this;
        }

        public Builder queryVector(float[] v) {
            queryVector = v;
            return this;
        }

        public Builder weights(BlendWeights v) {
            weights = v;
            return this;
        }

        public Builder normalization(Normalization v) {
            normalization = v;
            return this;
        }

        public Builder sessionSize(Integer v) {
            sessionSize = v;
            return this;
        }

        public Builder profilesIndex(String v) {
            profilesIndex = v;
            return this;
        }

        public Builder interactionsIndex(String v) {
            interactionsIndex = v;
            return this;
        }

        public Builder scoreBreakdown(boolean v) {
            scoreBreakdown = v;
            return this;
        }

        /** As parsed ({@link BlendOptionsParser}), checked by {@link #build()}. */
        Object rawUser, rawWeights, rawQueryVector;

        String rawNormalization;

        public BlendOptions build() {
            if (rawUser != null) {
                user = UserProfile.fromMap(null, BlendOptionsParser.object(rawUser, USER.getPreferredName(), ""));
            }
            if (rawWeights != null) {
                weights = BlendWeights.fromMap(BlendOptionsParser.object(
                        rawWeights, WEIGHTS.getPreferredName(), " of [query], [vector] and [personalization]"));
            }
            if (rawQueryVector != null) {
                queryVector = BlendOptionsParser.numbers(rawQueryVector);
            }
            if (rawNormalization != null) {
                normalization = Normalization.parse(rawNormalization);
            }
            return new BlendOptions(this);
        }
    }
}

package org.semanticranking.rescore;

import org.semanticranking.encoder.action.EncodeQueryAsyncAction;
import org.semanticranking.encoder.action.EncodeQueryResponse;
import org.semanticranking.scoring.Normalization;
import org.apache.lucene.util.SetOnce;
import org.elasticsearch.TransportVersion;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.logging.HeaderWarning;
import org.elasticsearch.index.Index;
import org.elasticsearch.index.mapper.MappedFieldType;
import org.elasticsearch.index.mapper.vectors.DenseVectorFieldMapper;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.rescore.RescoreContext;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.personalization.context.ShopperContext;
import org.semanticranking.personalization.context.ShopperContextAction;
import org.semanticranking.personalization.context.ShopperContextRequest;
import org.semanticranking.personalization.context.ShopperContextLoader;
import org.semanticranking.personalization.profile.UserProfile;
import org.semanticranking.mapping.VectorFieldMappings;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import static org.elasticsearch.action.ValidateActions.addValidationError;

/**
 * The {@code personalized_blend} rescorer: for each hit of the window, a weighted sum of its first-pass
 * score, the cosine of the query vector and the product vector, and the shopper's personalization score,
 * each normalised within the window.
 *
 * <p>On the coordinating node, the rewrite encodes {@code query_text} (deduplicated with a
 * {@code semantic_intent} query of the same text, field and model: one encode per request) and loads the
 * shopper (profile, session vector, model) with the caller's privileges. The rewritten builder carries all
 * of it to the shards, which only read vectors and doc values.
 */
public final class PersonalizedBlendRescorerBuilder extends RescorerBuilder<PersonalizedBlendRescorerBuilder> {

    public static final String NAME = "personalized_blend";

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
    /** Set once the coordinating node has loaded it; travels to the shards. */
    private final ShopperContext shopper;

    private final transient Supplier<EncodeQueryResponse> vectorSupplier;
    private final transient Supplier<ShopperContext> shopperSupplier;

    public PersonalizedBlendRescorerBuilder(
        String userId,
        UserProfile user,
        String modelId,
        String vectorField,
        String queryText,
        String model,
        float[] queryVector,
        BlendWeights weights,
        Normalization normalization,
        Integer sessionSize,
        String profilesIndex,
        String interactionsIndex,
        boolean scoreBreakdown
    ) {
        this(userId, user, modelId, vectorField, queryText, model, queryVector, weights, normalization, sessionSize, profilesIndex,
            interactionsIndex, scoreBreakdown, null, null, null);
        validate();
    }

    private PersonalizedBlendRescorerBuilder(
        String userId,
        UserProfile user,
        String modelId,
        String vectorField,
        String queryText,
        String model,
        float[] queryVector,
        BlendWeights weights,
        Normalization normalization,
        Integer sessionSize,
        String profilesIndex,
        String interactionsIndex,
        boolean scoreBreakdown,
        ShopperContext shopper,
        Supplier<EncodeQueryResponse> vectorSupplier,
        Supplier<ShopperContext> shopperSupplier
    ) {
        this.userId = userId;
        this.user = user;
        this.modelId = modelId;
        this.vectorField = vectorField;
        this.queryText = queryText;
        this.model = model;
        this.queryVector = queryVector;
        this.weights = weights == null ? BlendWeights.DEFAULT : weights;
        this.normalization = normalization == null ? Normalization.MIN_MAX : normalization;
        this.sessionSize = sessionSize;
        this.profilesIndex = profilesIndex;
        this.interactionsIndex = interactionsIndex;
        this.scoreBreakdown = scoreBreakdown;
        this.shopper = shopper;
        this.vectorSupplier = vectorSupplier;
        this.shopperSupplier = shopperSupplier;
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
            throw new IllegalArgumentException("[" + NAME + "] [session_size] must be between 0 and " + MAX_SESSION_SIZE + " but was [" + sessionSize + "]");
        }
    }

    public PersonalizedBlendRescorerBuilder(StreamInput in) throws IOException {
        super(in);
        this.userId = in.readOptionalString();
        this.user = in.readOptionalWriteable(UserProfile::new);
        this.modelId = in.readOptionalString();
        this.vectorField = in.readString();
        this.queryText = in.readOptionalString();
        this.model = in.readOptionalString();
        this.queryVector = in.readBoolean() ? in.readFloatArray() : null;
        this.weights = new BlendWeights(in);
        this.normalization = in.readEnum(Normalization.class);
        this.sessionSize = in.readOptionalVInt();
        this.profilesIndex = in.readOptionalString();
        this.interactionsIndex = in.readOptionalString();
        this.scoreBreakdown = in.readBoolean();
        this.shopper = in.readOptionalWriteable(ShopperContext::new);
        this.vectorSupplier = null;
        this.shopperSupplier = null;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (vectorSupplier != null || shopperSupplier != null) {
            throw new IllegalStateException("[" + NAME + "] must be rewritten before it is sent to the shards");
        }
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
        out.writeOptionalWriteable(shopper);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return TransportVersion.zero();
    }

    public static PersonalizedBlendRescorerBuilder fromXContent(XContentParser parser) throws IOException {
        String userId = null, modelId = null, vectorField = null, queryText = null, model = null, profiles = null, interactions = null;
        UserProfile user = null;
        float[] queryVector = null;
        BlendWeights weights = null;
        Normalization normalization = null;
        Integer sessionSize = null;
        boolean breakdown = false;
        String current = null;
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token == XContentParser.Token.FIELD_NAME) {
                current = parser.currentName();
            } else if (USER.match(current, parser.getDeprecationHandler())) {
                if (token != XContentParser.Token.START_OBJECT) {
                    throw new IllegalArgumentException("[" + NAME + "] [user] must be an object");
                }
                user = UserProfile.fromMap(null, parser.map());
            } else if (WEIGHTS.match(current, parser.getDeprecationHandler())) {
                weights = parseWeights(parser, token);
            } else if (QUERY_VECTOR.match(current, parser.getDeprecationHandler())) {
                if (token != XContentParser.Token.START_ARRAY) {
                    throw new IllegalArgumentException("[" + NAME + "] [query_vector] must be an array of numbers");
                }
                List<Object> values = parser.list();
                queryVector = new float[values.size()];
                for (int i = 0; i < queryVector.length; i++) {
                    if (values.get(i) instanceof Number n) {
                        queryVector[i] = n.floatValue();
                    } else {
                        throw new IllegalArgumentException("[" + NAME + "] [query_vector] must be an array of numbers");
                    }
                }
            } else if (token.isValue() == false) {
                throw new IllegalArgumentException("[" + NAME + "] [" + current + "] must be a value, not " + token);
            } else if (USER_ID.match(current, parser.getDeprecationHandler())) {
                userId = parser.text();
            } else if (MODEL_ID.match(current, parser.getDeprecationHandler())) {
                modelId = parser.text();
            } else if (VECTOR_FIELD.match(current, parser.getDeprecationHandler())) {
                vectorField = parser.text();
            } else if (QUERY_TEXT.match(current, parser.getDeprecationHandler())) {
                queryText = parser.text();
            } else if (MODEL.match(current, parser.getDeprecationHandler())) {
                model = parser.text();
            } else if (NORMALIZATION.match(current, parser.getDeprecationHandler())) {
                normalization = Normalization.parse(parser.text());
            } else if (SESSION_SIZE.match(current, parser.getDeprecationHandler())) {
                sessionSize = parser.intValue();
            } else if (PROFILES_INDEX.match(current, parser.getDeprecationHandler())) {
                profiles = parser.text();
            } else if (INTERACTIONS_INDEX.match(current, parser.getDeprecationHandler())) {
                interactions = parser.text();
            } else if (SCORE_BREAKDOWN.match(current, parser.getDeprecationHandler())) {
                breakdown = parser.booleanValue();
            } else {
                throw new IllegalArgumentException("[" + NAME + "] unknown field [" + current + "]");
            }
        }
        return new PersonalizedBlendRescorerBuilder(userId, user, modelId, vectorField, queryText, model, queryVector, weights,
            normalization, sessionSize, profiles, interactions, breakdown);
    }

    private static BlendWeights parseWeights(XContentParser parser, XContentParser.Token token) throws IOException {
        if (token != XContentParser.Token.START_OBJECT) {
            throw new IllegalArgumentException("[" + NAME + "] [weights] must be an object of [query], [vector] and [personalization]");
        }
        double q = BlendWeights.DEFAULT.query(), v = BlendWeights.DEFAULT.vector(), p = BlendWeights.DEFAULT.personalization();
        String current = null;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token == XContentParser.Token.FIELD_NAME) {
                current = parser.currentName();
            } else if (token != XContentParser.Token.VALUE_NUMBER) {
                throw new IllegalArgumentException("[" + NAME + "] [weights." + current + "] must be a number");
            } else {
                switch (current) {
                    case "query" -> q = parser.doubleValue();
                    case "vector" -> v = parser.doubleValue();
                    case "personalization" -> p = parser.doubleValue();
                    default -> throw new IllegalArgumentException(
                        "[" + NAME + "] unknown weight [" + current + "]; expected [query], [vector] and [personalization]"
                    );
                }
            }
        }
        return new BlendWeights(q, v, p);
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        if (userId != null) {
            builder.field(USER_ID.getPreferredName(), userId);
        }
        if (user != null) {
            builder.field(USER.getPreferredName(), user);
        }
        if (modelId != null) {
            builder.field(MODEL_ID.getPreferredName(), modelId);
        }
        builder.field(VECTOR_FIELD.getPreferredName(), vectorField);
        if (queryText != null) {
            builder.field(QUERY_TEXT.getPreferredName(), queryText);
        }
        if (model != null) {
            builder.field(MODEL.getPreferredName(), model);
        }
        if (queryVector != null) {
            builder.array(QUERY_VECTOR.getPreferredName(), queryVector);
        }
        builder.field(WEIGHTS.getPreferredName(), weights);
        builder.field(NORMALIZATION.getPreferredName(), normalization.value());
        if (sessionSize != null) {
            builder.field(SESSION_SIZE.getPreferredName(), sessionSize);
        }
        if (profilesIndex != null) {
            builder.field(PROFILES_INDEX.getPreferredName(), profilesIndex);
        }
        if (interactionsIndex != null) {
            builder.field(INTERACTIONS_INDEX.getPreferredName(), interactionsIndex);
        }
        if (scoreBreakdown) {
            builder.field(SCORE_BREAKDOWN.getPreferredName(), true);
        }
        builder.endObject();
    }

    @Override
    public ActionRequestValidationException validate(SearchSourceBuilder source, ActionRequestValidationException e) {
        int window = windowSize() == null ? DEFAULT_WINDOW_SIZE : windowSize();
        int from = Math.max(0, source.from());
        int size = source.size() < 0 ? 10 : source.size();
        if (source.retriever() == null && from + size > window) {
            e = addValidationError(
                "[" + NAME + "] window_size [" + window + "] must be at least from + size [" + (from + size) + "]: hits outside the window have no blended score to rank them by",
                e
            );
        }
        return e;
    }

    private boolean needsQueryVector() {
        return weights.vector() > 0 && queryVector == null;
    }

    /** Whether the vector part has nothing to compare with yet (see {@link QueryTextFromFirstPass}). */
    boolean needsQueryText() {
        return needsQueryVector() && queryText == null;
    }

    /** This with the query text (and model) of the request's semantic_intent. */
    PersonalizedBlendRescorerBuilder withQueryText(String text, String encoderModel) {
        PersonalizedBlendRescorerBuilder copy = new PersonalizedBlendRescorerBuilder(userId, user, modelId, vectorField, text,
            model != null ? model : encoderModel, null, weights, normalization, sessionSize, profilesIndex, interactionsIndex, scoreBreakdown,
            shopper, null, null);
        if (windowSize != null) {
            copy.windowSize(windowSize);
        }
        return copy;
    }

    /**
     * On the coordinating node: checks the vector field, then (as async rewrite actions) encodes the query text
     * and loads the shopper; the next rewrite round returns the resolved builder. Elsewhere it waits to be resolved.
     */
    @Override
    public RescorerBuilder<PersonalizedBlendRescorerBuilder> rewrite(QueryRewriteContext context) {
        if (shopper != null && needsQueryVector() == false) {
            return this;
        }
        if (shopperSupplier != null) {
            ShopperContext loaded = shopperSupplier.get();
            EncodeQueryResponse encoded = vectorSupplier == null ? null : vectorSupplier.get();
            if (loaded == null || (vectorSupplier != null && encoded == null)) {
                return this;
            }
            return copy(encoded == null ? queryVector : encoded.vector(), loaded, null, null);
        }
        ResolvedIndices resolved = context.getResolvedIndices();
        if (resolved == null) {
            return this;
        }
        if (needsQueryText()) {
            throw new IllegalArgumentException(
                "[" + NAME + "] needs [query_text] or [query_vector] when [weights.vector] is above 0 (it is [" + weights.vector()
                    + "]), unless the query is a [semantic_intent] whose text it reuses"
            );
        }
        Map<String, Integer> dims = VectorFieldMappings.dimsByIndex(NAME, vectorField, resolved.getConcreteLocalIndicesMetadata());
        if (queryVector != null) {
            VectorFieldMappings.checkDims(dims, queryVector.length, (index, fieldDims) -> "[" + NAME + "] [query_vector] has [" + queryVector.length
                + "] dims but [" + vectorField + "] in index [" + index + "] has [" + fieldDims + "]");
        }
        String[] indices = resolved.getConcreteLocalIndicesMetadata().keySet().stream().map(Index::getName).toArray(String[]::new);
        SetOnce<EncodeQueryResponse> vector = new SetOnce<>();
        Supplier<EncodeQueryResponse> vectorSupplier = null;
        if (needsQueryVector()) {
            // the same action as a semantic_intent query's of the same text, field and model: registered once, encoded once
            context.registerUniqueAsyncAction(new EncodeQueryAsyncAction(queryText, model, indices, vectorField, false), vector::set);
            vectorSupplier = vector::get;
        }
        SetOnce<ShopperContext> loaded = new SetOnce<>();
        ShopperContextLoader.Request request = new ShopperContextLoader.Request(userId, user, profilesIndex, interactionsIndex, indices,
            vectorField, modelId, null, sessionSize);
        context.registerAsyncAction(
            (client, listener) -> client.execute(ShopperContextAction.INSTANCE, new ShopperContextRequest(request), listener.map(r -> {
                loaded.set(r.context());
                return null;
            }))
        );
        return copy(queryVector, null, vectorSupplier, loaded::get);
    }

    private PersonalizedBlendRescorerBuilder copy(
        float[] queryVector,
        ShopperContext shopper,
        Supplier<EncodeQueryResponse> vectorSupplier,
        Supplier<ShopperContext> shopperSupplier
    ) {
        PersonalizedBlendRescorerBuilder copy = new PersonalizedBlendRescorerBuilder(userId, user, modelId, vectorField, queryText, model,
            queryVector, weights, normalization, sessionSize, profilesIndex, interactionsIndex, scoreBreakdown, shopper, vectorSupplier,
            shopperSupplier);
        if (windowSize != null) {
            copy.windowSize(windowSize);
        }
        return copy;
    }

    @Override
    protected RescoreContext innerBuildContext(int windowSize, SearchExecutionContext context) {
        if (shopper == null) {
            throw new IllegalStateException("[" + NAME + "] must be rewritten on the coordinating node before it runs on a shard");
        }
        MappedFieldType type = context.getFieldType(vectorField);
        if (type != null && type instanceof DenseVectorFieldMapper.DenseVectorFieldType == false) {
            throw new IllegalArgumentException("[" + NAME + "] [vector_field] [" + vectorField + "] is a [" + type.typeName() + "] field, not a [dense_vector]");
        }
        // said on the shards, whose response headers Elasticsearch carries back to the response (identical warnings merge)
        shopper.notes().forEach(note -> HeaderWarning.addWarning("[" + NAME + "] " + note));
        FeatureSpec spec = shopper.model() != null ? shopper.model().spec() : new FeatureSpec(vectorField, List.of(), null, null);
        BlendSpec blend = new BlendSpec(weights, normalization, queryVector, shopper, vectorField, scoreBreakdown);
        return new BlendRescoreContext(windowSize, blend, new ProductSignalReader(context, spec));
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

    public float[] queryVector() {
        return queryVector;
    }

    public BlendWeights weights() {
        return weights;
    }

    public Normalization normalization() {
        return normalization;
    }

    public ShopperContext shopper() {
        return shopper;
    }

    @Override
    public boolean equals(Object o) {
        if (super.equals(o) == false) {
            return false;
        }
        PersonalizedBlendRescorerBuilder other = (PersonalizedBlendRescorerBuilder) o;
        return Objects.equals(userId, other.userId)
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
            && scoreBreakdown == other.scoreBreakdown
            && Objects.equals(shopper, other.shopper)
            && Objects.equals(vectorSupplier, other.vectorSupplier)
            && Objects.equals(shopperSupplier, other.shopperSupplier);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), userId, user, modelId, vectorField, queryText, model, Arrays.hashCode(queryVector), weights,
            normalization, sessionSize, profilesIndex, interactionsIndex, scoreBreakdown, shopper);
    }

    /** Test hook: the builder as the coordinating node would have resolved it. */
    PersonalizedBlendRescorerBuilder resolved(float[] vector, ShopperContext context) {
        return copy(vector, context, null, null);
    }
}

package org.semanticranking.rescore;

import org.elasticsearch.TransportVersion;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.logging.HeaderWarning;
import org.elasticsearch.index.mapper.MappedFieldType;
import org.elasticsearch.index.mapper.vectors.DenseVectorFieldMapper;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.rescore.RescoreContext;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.semanticranking.encoder.action.EncodeQueryResponse;
import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.personalization.context.ShopperContext;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@code personalized_blend} rescorer: for each hit of the window, a weighted sum of its first-pass
 * score, the cosine of the query vector and the product vector, and the shopper's personalization score,
 * each normalised within the window.
 *
 * <p>What the request asks for is {@link BlendOptions}. On the coordinating node the rewrite ({@link BlendRewrite})
 * encodes {@code query_text} (deduplicated with a {@code semantic_intent} query of the same text, field and model: one
 * encode per request) and loads the shopper (profile, session vector, model) with the caller's privileges. The
 * rewritten builder carries all of it to the shards, which only read vectors and doc values.
 */
public final class PersonalizedBlendRescorerBuilder extends RescorerBuilder<PersonalizedBlendRescorerBuilder>
        implements QueryTextConsumer {

    public static final String NAME = "personalized_blend";

    private final BlendOptions options;
    /** The query vector the shards compare products with: the request's, or its text's, encoded on the coordinating node. */
    private final float[] queryVector;
    /** Set once the coordinating node has loaded it; travels to the shards. */
    private final ShopperContext shopper;

    /** While the rewrite's async actions run, on the coordinating node only; never serialized. */
    private final transient Supplier<EncodeQueryResponse> vectorSupplier;

    private final transient Supplier<ShopperContext> shopperSupplier;

    public PersonalizedBlendRescorerBuilder(BlendOptions options) {
        this(options, options.queryVector(), null, null, null);
    }

    private PersonalizedBlendRescorerBuilder(
            BlendOptions options,
            float[] queryVector,
            ShopperContext shopper,
            Supplier<EncodeQueryResponse> vectorSupplier,
            Supplier<ShopperContext> shopperSupplier) {
        this.options = Objects.requireNonNull(options);
        this.queryVector = queryVector;
        this.shopper = shopper;
        this.vectorSupplier = vectorSupplier;
        this.shopperSupplier = shopperSupplier;
    }

    public PersonalizedBlendRescorerBuilder(StreamInput in) throws IOException {
        super(in);
        this.options = new BlendOptions(in);
        this.queryVector = in.readBoolean() ? in.readFloatArray() : null;
        this.shopper = in.readOptionalWriteable(ShopperContext::new);
        this.vectorSupplier = null;
        this.shopperSupplier = null;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (vectorSupplier != null || shopperSupplier != null) {
            throw new IllegalStateException("[" + NAME + "] must be rewritten before it is sent to the shards");
        }
        options.writeTo(out);
        out.writeBoolean(queryVector != null);
        if (queryVector != null) {
            out.writeFloatArray(queryVector);
        }
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
        return new PersonalizedBlendRescorerBuilder(BlendOptions.fromXContent(parser));
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        options.toXContent(builder, params);
        builder.endObject();
    }

    @Override
    public ActionRequestValidationException validate(SearchSourceBuilder source, ActionRequestValidationException e) {
        int window = windowSize() == null ? DEFAULT_WINDOW_SIZE : windowSize();
        return RescoreWindows.coversPage(NAME, window, source, "blended", e);
    }

    /** Whether the vector part has nothing to compare with yet (see {@link QueryTextFromFirstPass}). */
    @Override
    public boolean needsQueryText() {
        return options.needsQueryText();
    }

    /** This with the query text (and model) of the request's semantic_intent. */
    @Override
    public PersonalizedBlendRescorerBuilder withQueryText(String text, String encoderModel) {
        BlendOptions withText = options.withQueryText(text, encoderModel);
        return copy(withText, withText.queryVector(), shopper, null, null);
    }

    @Override
    public RescorerBuilder<PersonalizedBlendRescorerBuilder> rewrite(QueryRewriteContext context) {
        return BlendRewrite.rewrite(this, context);
    }

    /** The one way to a changed builder: the window size goes with it. */
    PersonalizedBlendRescorerBuilder copy(
            BlendOptions newOptions,
            float[] newQueryVector,
            ShopperContext newShopper,
            Supplier<EncodeQueryResponse> newVectorSupplier,
            Supplier<ShopperContext> newShopperSupplier) {
        PersonalizedBlendRescorerBuilder copy = new PersonalizedBlendRescorerBuilder(
                newOptions, newQueryVector, newShopper, newVectorSupplier, newShopperSupplier);
        if (windowSize != null) {
            copy.windowSize(windowSize);
        }
        return copy;
    }

    @Override
    protected RescoreContext innerBuildContext(int windowSize, SearchExecutionContext context) {
        if (shopper == null) {
            throw new IllegalStateException(
                    "[" + NAME + "] must be rewritten on the coordinating node before it runs on a shard");
        }
        String vectorField = options.vectorField();
        MappedFieldType type = context.getFieldType(vectorField);
        if (type != null && type instanceof DenseVectorFieldMapper.DenseVectorFieldType == false) {
            throw new IllegalArgumentException("[" + NAME + "] [vector_field] [" + vectorField + "] is a ["
                    + type.typeName() + "] field, not a [dense_vector]");
        }
        // said on the shards, whose response headers Elasticsearch carries back to the response (identical warnings
        // merge)
        shopper.notes().forEach(note -> HeaderWarning.addWarning("[" + NAME + "] " + note));
        FeatureSpec spec =
                shopper.model() != null ? shopper.model().spec() : new FeatureSpec(vectorField, List.of(), null, null);
        BlendSpec blend = new BlendSpec(
                options.weights(),
                options.normalization(),
                queryVector,
                shopper,
                vectorField,
                options.scoreBreakdown());
        return new BlendRescoreContext(windowSize, blend, new ProductSignalReader(context, spec));
    }

    public BlendOptions options() {
        return options;
    }

    public ShopperContext shopper() {
        return shopper;
    }

    /** The query vector, once there is one. */
    public float[] queryVector() {
        return queryVector;
    }

    Supplier<EncodeQueryResponse> vectorSupplier() {
        return vectorSupplier;
    }

    Supplier<ShopperContext> shopperSupplier() {
        return shopperSupplier;
    }

    @Override
    public boolean equals(Object o) {
        if (super.equals(o) == false) {
            return false;
        }
        PersonalizedBlendRescorerBuilder other = (PersonalizedBlendRescorerBuilder) o;
        return options.equals(other.options)
                && java.util.Arrays.equals(queryVector, other.queryVector)
                && Objects.equals(shopper, other.shopper)
                && Objects.equals(vectorSupplier, other.vectorSupplier)
                && Objects.equals(shopperSupplier, other.shopperSupplier);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), options, java.util.Arrays.hashCode(queryVector), shopper);
    }

    /** Test hook: the builder as the coordinating node would have resolved it. */
    PersonalizedBlendRescorerBuilder resolved(float[] vector, ShopperContext context) {
        return copy(options, vector, context, null, null);
    }
}

package org.semanticranking.ranking.rescore;

import org.elasticsearch.TransportVersion;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.search.rescore.RescoreContext;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.semanticranking.ranking.feature.BoundFeature;
import org.semanticranking.ranking.feature.Feature;
import org.semanticranking.ranking.feature.FeatureBinder;
import org.semanticranking.ranking.model.Ranker;
import org.semanticranking.ranking.model.RankerModel;
import org.semanticranking.ranking.shard.FirstStage;
import org.semanticranking.ranking.shard.WindowFeatures;
import org.semanticranking.rescore.QueryTextConsumer;
import org.semanticranking.rescore.RescoreWindows;
import org.semanticranking.retriever.FirstStageConsumer;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@code learned_rank} rescorer: scores each hit of the window with a trained ranker over its features, or, with
 * {@code features} or a {@code feature_set} instead of a ranker, leaves the order alone and logs each hit's feature
 * values in {@code fields._learned_rank}.
 *
 * <p>On the coordinating node the rewrite ({@link LearnedRankRewrite}) loads the ranker (cached per version on the node)
 * and binds its features to the request: queries rendered and rewritten, texts encoded once. The shards get the model
 * and the bound features and compute them from their own data, for the window's hits only. In a {@code
 * semantic_hybrid}'s {@code rescore} section it also gets the fused list, so that features can read what each side
 * said of a hit.
 */
public final class LearnedRankRescorerBuilder extends RescorerBuilder<LearnedRankRescorerBuilder>
        implements QueryTextConsumer, FirstStageConsumer {

    public static final String NAME = "learned_rank";

    private final LearnedRankOptions options;
    /** The ranker's (or the feature set's, or the inline) features, once known. */
    private final List<Feature> features;
    /** The ranker's model and version, once loaded; {@code null} when only logging. */
    private final RankerModel model;

    private final long version;
    /** The features bound to this request, once the coordinating node has bound them: what the shards compute. */
    private final List<BoundFeature> bound;
    /** A {@code semantic_hybrid}'s fused list, when this rescores one. */
    private final RankDoc[] firstStage;

    /** While the rewrite's async actions run, on the coordinating node only; never serialized. */
    private final transient Supplier<Ranker> rankerSupplier;

    private final transient Supplier<List<Feature>> featureSetSupplier;
    private final transient FeatureBinder.Pending pending;

    public LearnedRankRescorerBuilder(LearnedRankOptions options) {
        this(options, options.features(), null, 0, null, null, null, null, null);
    }

    private LearnedRankRescorerBuilder(
            LearnedRankOptions options,
            List<Feature> features,
            RankerModel model,
            long version,
            List<BoundFeature> bound,
            RankDoc[] firstStage,
            Supplier<Ranker> rankerSupplier,
            Supplier<List<Feature>> featureSetSupplier,
            FeatureBinder.Pending pending) {
        this.options = Objects.requireNonNull(options);
        this.features = features;
        this.model = model;
        this.version = version;
        this.bound = bound;
        this.firstStage = firstStage;
        this.rankerSupplier = rankerSupplier;
        this.featureSetSupplier = featureSetSupplier;
        this.pending = pending;
    }

    public LearnedRankRescorerBuilder(StreamInput in) throws IOException {
        super(in);
        this.options = new LearnedRankOptions(in);
        this.features = in.readBoolean() ? in.readCollectionAsList(Feature::readFrom) : null;
        this.model = in.readOptionalWriteable(RankerModel::readFrom);
        this.version = in.readVLong();
        this.bound = in.readBoolean() ? in.readCollectionAsList(BoundFeature::readFrom) : null;
        this.firstStage = in.readBoolean()
                ? in.readNamedWriteableCollectionAsList(RankDoc.class).toArray(RankDoc[]::new)
                : null;
        this.rankerSupplier = null;
        this.featureSetSupplier = null;
        this.pending = null;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (rankerSupplier != null || featureSetSupplier != null || pending != null) {
            throw new IllegalStateException("[" + NAME + "] must be rewritten before it is sent to the shards");
        }
        options.writeTo(out);
        out.writeBoolean(features != null);
        if (features != null) {
            out.writeCollection(features);
        }
        out.writeOptionalWriteable(model);
        out.writeVLong(version);
        out.writeBoolean(bound != null);
        if (bound != null) {
            out.writeCollection(bound);
        }
        out.writeBoolean(firstStage != null);
        if (firstStage != null) {
            out.writeNamedWriteableCollection(Arrays.asList(firstStage));
        }
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return TransportVersion.zero();
    }

    public static LearnedRankRescorerBuilder fromXContent(XContentParser parser) throws IOException {
        return new LearnedRankRescorerBuilder(LearnedRankOptions.fromXContent(parser));
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
        return options.ranks() ? RescoreWindows.coversPage(NAME, window, source, "learned", e) : e;
    }

    @Override
    public boolean needsQueryText() {
        return options.needsQueryText();
    }

    @Override
    public LearnedRankRescorerBuilder withQueryText(String text, String encoderModel) {
        return copy(options.withQueryText(text), features, model, version, bound, firstStage, null, null, null);
    }

    @Override
    public LearnedRankRescorerBuilder withFirstStage(RankDoc[] rankDocs) {
        return copy(options, features, model, version, bound, rankDocs, rankerSupplier, featureSetSupplier, pending);
    }

    @Override
    public RescorerBuilder<LearnedRankRescorerBuilder> rewrite(QueryRewriteContext context) throws IOException {
        return LearnedRankRewrite.rewrite(this, context);
    }

    /** The one way to a changed builder: the window size goes with it. */
    LearnedRankRescorerBuilder copy(
            LearnedRankOptions newOptions,
            List<Feature> newFeatures,
            RankerModel newModel,
            long newVersion,
            List<BoundFeature> newBound,
            RankDoc[] newFirstStage,
            Supplier<Ranker> newRankerSupplier,
            Supplier<List<Feature>> newFeatureSetSupplier,
            FeatureBinder.Pending newPending) {
        LearnedRankRescorerBuilder copy = new LearnedRankRescorerBuilder(
                newOptions,
                newFeatures,
                newModel,
                newVersion,
                newBound,
                newFirstStage,
                newRankerSupplier,
                newFeatureSetSupplier,
                newPending);
        if (windowSize != null) {
            copy.windowSize(windowSize);
        }
        return copy;
    }

    @Override
    protected RescoreContext innerBuildContext(int windowSize, SearchExecutionContext context) throws IOException {
        if (bound == null || (options.ranks() && model == null)) {
            throw new IllegalStateException("[" + NAME
                    + "] must be rewritten on the coordinating node before it runs on a shard (features "
                    + (features == null ? "not loaded" : "loaded") + ", " + (bound == null ? "not bound" : "bound")
                    + ", model " + (model == null ? "absent" : "present") + ")");
        }
        WindowFeatures windowFeatures = WindowFeatures.create(bound, context);
        FirstStage stage = FirstStage.of(firstStage, context.getShardRequestIndex());
        return new LearnedRankContext(
                windowSize, options.rankerId(), version, model, windowFeatures, stage, options.scoreBreakdown());
    }

    public LearnedRankOptions options() {
        return options;
    }

    List<Feature> features() {
        return features;
    }

    RankerModel model() {
        return model;
    }

    long version() {
        return version;
    }

    List<BoundFeature> bound() {
        return bound;
    }

    RankDoc[] firstStage() {
        return firstStage;
    }

    Supplier<Ranker> rankerSupplier() {
        return rankerSupplier;
    }

    Supplier<List<Feature>> featureSetSupplier() {
        return featureSetSupplier;
    }

    FeatureBinder.Pending pending() {
        return pending;
    }

    @Override
    public boolean equals(Object o) {
        if (super.equals(o) == false) {
            return false;
        }
        LearnedRankRescorerBuilder other = (LearnedRankRescorerBuilder) o;
        return options.equals(other.options)
                && Objects.equals(features, other.features)
                && Objects.equals(model, other.model)
                && version == other.version
                && Objects.equals(bound, other.bound)
                && Arrays.equals(firstStage, other.firstStage)
                && Objects.equals(rankerSupplier, other.rankerSupplier)
                && Objects.equals(featureSetSupplier, other.featureSetSupplier)
                && Objects.equals(pending, other.pending);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), options, features, model, version, bound, Arrays.hashCode(firstStage));
    }
}

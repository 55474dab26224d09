package org.semanticranking.ranking.rescore;

import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.index.Index;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.semanticranking.common.RewriteActions;
import org.semanticranking.ranking.feature.BoundFeature;
import org.semanticranking.ranking.feature.Feature;
import org.semanticranking.ranking.feature.FeatureBinder;
import org.semanticranking.ranking.model.Ranker;
import org.semanticranking.ranking.store.LoadFeatureSetAction;
import org.semanticranking.ranking.store.LoadRankerAction;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * The rewrite of a {@code learned_rank} on the coordinating node, round by round: load the ranker (or the feature set),
 * bind its features to the request (queries rendered, texts sent to the encoder), then rewrite the features' queries
 * with the search until none changes. Each step that waits for an async action returns the builder unchanged until
 * it has run. Elsewhere (no resolved indices, as on the shards) it returns the builder as it came.
 *
 * <p>A fetch that was registered, has not run and no longer waits in the context when the next round comes is registered
 * again (within a round, while it waits, the builder is returned unchanged): Elasticsearch can start
 * a round before the actions of the one before have run, when a compound retriever's search (a plain async action)
 * completes on another thread while the first thread is still clearing the round's unique actions (see {@link
 * RewriteActions}). Returned unchanged, the builder would go to the shards unbound: a 500 about once in twenty thousand
 * searches of a {@code learned_rank} in a {@code semantic_hybrid} under load. Registered again, it costs one more
 * fetch (the encodes and the ranker come from the node's caches) in that rare round.
 */
final class LearnedRankRewrite {

    private LearnedRankRewrite() {}

    static RescorerBuilder<LearnedRankRescorerBuilder> rewrite(
            LearnedRankRescorerBuilder b, QueryRewriteContext context) throws IOException {
        LearnedRankOptions options = b.options();
        if (b.features() == null) {
            return loadFeatures(b, context);
        }
        if (b.bound() == null) {
            if (b.pending() != null) {
                List<BoundFeature> bound = b.pending().get();
                if (bound != null) {
                    return b.copy(
                            options, b.features(), b.model(), b.version(), bound, b.firstStage(), null, null, null);
                }
                if (context.hasAsyncActions()) {
                    return b; // this round's: Elasticsearch runs them once the round's rewrites are done
                }
                // registered, not run, and no longer waiting in the context: a round lost to Elasticsearch's race
                // (see the class); bound again below
            }
            ResolvedIndices resolved = context.getResolvedIndices();
            if (resolved == null) {
                return b;
            }
            FeatureBinder.Pending pending = FeatureBinder.bind(
                    b.features(),
                    options.params(),
                    context,
                    indices(resolved),
                    resolved.getConcreteLocalIndicesMetadata(),
                    options.shopper(),
                    options.clicks());
            return b.copy(options, b.features(), b.model(), b.version(), null, b.firstStage(), null, null, pending);
        }
        List<BoundFeature> rewritten = FeatureBinder.rewrite(b.bound(), context);
        return rewritten == b.bound()
                ? b
                : b.copy(options, b.features(), b.model(), b.version(), rewritten, b.firstStage(), null, null, null);
    }

    private static RescorerBuilder<LearnedRankRescorerBuilder> loadFeatures(
            LearnedRankRescorerBuilder b, QueryRewriteContext context) {
        LearnedRankOptions options = b.options();
        if (b.rankerSupplier() != null) {
            Ranker ranker = b.rankerSupplier().get();
            if (ranker != null) {
                return b.copy(
                        options,
                        ranker.features(),
                        ranker.model(),
                        ranker.version(),
                        null,
                        b.firstStage(),
                        null,
                        null,
                        null);
            }
        }
        if (b.featureSetSupplier() != null) {
            List<Feature> set = b.featureSetSupplier().get();
            if (set != null) {
                return b.copy(options, set, null, 0, null, b.firstStage(), null, null, null);
            }
        }
        if ((b.rankerSupplier() != null || b.featureSetSupplier() != null) && context.hasAsyncActions()) {
            return b; // this round's fetch, not run yet
        }
        // nothing fetched yet, or a fetch registered, not run and no longer waiting (a lost round): fetch it now
        ResolvedIndices resolved = context.getResolvedIndices();
        if (resolved == null) {
            return b;
        }
        String[] indices = indices(resolved);
        if (options.ranks()) {
            LoadRankerAction.Request request = new LoadRankerAction.Request(indices, options.rankerId(), null);
            Supplier<Ranker> loaded = RewriteActions.fetch(
                    context,
                    (client, listener) -> client.execute(
                            LoadRankerAction.INSTANCE, request, listener.map(LoadRankerAction.Response::ranker)));
            return b.copy(options, null, null, 0, null, b.firstStage(), loaded, null, null);
        }
        LoadFeatureSetAction.Request request = new LoadFeatureSetAction.Request(indices, options.featureSet());
        Supplier<List<Feature>> loaded = RewriteActions.fetch(
                context,
                (client, listener) -> client.execute(
                        LoadFeatureSetAction.INSTANCE, request, listener.map(LoadFeatureSetAction.Response::features)));
        return b.copy(options, null, null, 0, null, b.firstStage(), null, loaded, null);
    }

    private static String[] indices(ResolvedIndices resolved) {
        return resolved.getConcreteLocalIndicesMetadata().keySet().stream()
                .map(Index::getName)
                .toArray(String[]::new);
    }
}

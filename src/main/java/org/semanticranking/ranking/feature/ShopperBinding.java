package org.semanticranking.ranking.feature;

import org.elasticsearch.index.query.QueryRewriteContext;
import org.semanticranking.common.RewriteActions;
import org.semanticranking.common.SearchNotices;
import org.semanticranking.personalization.context.ShopperContext;
import org.semanticranking.personalization.context.ShopperContextAction;
import org.semanticranking.personalization.context.ShopperContextLoader;
import org.semanticranking.personalization.context.ShopperContextRequest;
import org.semanticranking.personalization.model.FeatureExtractor;
import org.semanticranking.personalization.profile.UserProfile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The shopper features of a request bound on the coordinating node: one load of each shopper's profile and session
 * (the {@link ShopperContextAction} {@code personalized_blend} uses, with the caller's privileges), then each feature
 * becomes what the shards compute: a cosine with the profile's or the session's vector, the profile's shares of a
 * field's values, the profile's price range. What the load could not find is a warning of the search, and the features
 * it leaves without input are 0: the ranker's non-personal part ranks the hits.
 */
final class ShopperBinding {

    private final Map<String, Supplier<ShopperContext>> byUser = new HashMap<>();
    /** The request's inline shopper, read by every shopper feature; {@code null} when each shopper is loaded. */
    private final ShopperContext inline;

    private ShopperBinding(ShopperContext inline) {
        this.inline = inline;
    }

    /** Every feature reads the given shopper: nothing to load (a training gives each impression its shopper then). */
    static ShopperBinding inline(ShopperContext shopper) {
        return new ShopperBinding(shopper);
    }

    /** Registers one load per distinct shopper of the features. */
    static ShopperBinding load(
            List<ShopperFeature> features, Map<String, Object> params, QueryRewriteContext context, String[] indices) {
        ShopperBinding binding = new ShopperBinding(null);
        Map<String, ShopperContextLoader.Request> requests = new HashMap<>();
        for (ShopperFeature f : features) {
            String user = QueryText.fill(f.name(), f.user(), params);
            ShopperContextLoader.Request previous = requests.get(user);
            boolean session = f.measure().readsSession();
            String vectorField = session || previous == null ? f.field() : previous.vectorField();
            int sessionSize = Math.max(previous == null ? 0 : previous.sessionSize(), session ? f.sessionSize() : 0);
            requests.put(
                    user,
                    new ShopperContextLoader.Request(
                            user, null, null, null, indices, vectorField, null, null, sessionSize));
        }
        requests.forEach((user, request) -> binding.byUser.put(
                user,
                RewriteActions.fetch(
                        context,
                        (client, listener) -> client.execute(
                                ShopperContextAction.INSTANCE,
                                new ShopperContextRequest(request),
                                listener.map(response -> {
                                    ShopperContext shopper = response.context();
                                    SearchNotices.Collector notices = SearchNotices.current(
                                            client.threadPool().getThreadContext());
                                    if (shopper.profile() == null) {
                                        notices.warn(
                                                "[learned_rank] shopper [" + user + "] has no profile: the "
                                                        + "ranker's profile features are 0, its non-personal part ranks the hits");
                                    }
                                    return shopper;
                                })))));
        return binding;
    }

    Supplier<BoundFeature> bind(ShopperFeature f, Map<String, Object> params) {
        Supplier<ShopperContext> loaded =
                inline != null ? () -> inline : byUser.get(QueryText.fill(f.name(), f.user(), params));
        return () -> {
            ShopperContext shopper = loaded.get();
            if (shopper == null) {
                return null;
            }
            UserProfile profile = shopper.profile();
            BoundFeature zero = new BoundFeature.Constant(f.name(), 0);
            return switch (f.measure()) {
                case PROFILE_COSINE ->
                    profile == null || profile.vector() == null
                            ? zero
                            : new BoundFeature.VectorCosine(f.name(), f.field(), profile.vector());
                case SESSION_COSINE ->
                    shopper.sessionVector() == null
                            ? zero
                            : new BoundFeature.VectorCosine(f.name(), f.field(), shopper.sessionVector());
                case SESSION_MAX_COSINE ->
                    shopper.recent().isEmpty()
                            ? zero
                            : new BoundFeature.MaxCosine(f.name(), f.field(), shopper.recent());
                case AFFINITY -> profile == null ? zero : affinity(f, profile);
                case PRICE_FIT ->
                    profile == null || profile.price() == null
                            ? zero
                            : new BoundFeature.PriceFit(
                                    f.name(),
                                    f.field(),
                                    profile.price().logMean(),
                                    Math.max(
                                            FeatureExtractor.MIN_LOG_PRICE_STD,
                                            profile.price().logStd()));
                case PRICE_TASTE ->
                    profile == null || profile.priceTaste() == null
                            ? zero
                            : new BoundFeature.PriceLift(f.name(), f.field(), profile.priceTaste());
                case PRICE_POSITION ->
                    profile == null
                                    || profile.priceTaste() == null
                                    || profile.priceTaste().listPosition() == 0
                            ? zero
                            : new BoundFeature.PricePosition(
                                    f.name(), f.field(), profile.priceTaste().listPosition());
            };
        };
    }

    /** The profile's shares of the field's values: kept under the field's name, or under it without its sub-field. */
    private static BoundFeature affinity(ShopperFeature f, UserProfile profile) {
        Map<String, Double> shares = profile.affinities().get(f.field());
        if (shares == null && f.field().contains(".")) {
            shares = profile.affinities().get(f.field().substring(0, f.field().lastIndexOf('.')));
        }
        return shares == null || shares.isEmpty()
                ? new BoundFeature.Constant(f.name(), 0)
                : new BoundFeature.AffinityShares(f.name(), f.field(), shares);
    }
}

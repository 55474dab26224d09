package org.semanticranking.ranking.training;

import org.elasticsearch.action.search.MultiSearchRequest;
import org.elasticsearch.action.search.MultiSearchResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.tasks.TaskCancelledException;
import org.semanticranking.common.JobTask;
import org.semanticranking.evaluation.Evaluator;
import org.semanticranking.evaluation.JudgedRequest;
import org.semanticranking.judgments.QueryClicks;
import org.semanticranking.judgments.action.ClickTable;
import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.personalization.ProductCache;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.events.InteractionStream;
import org.semanticranking.personalization.events.PositionClickRates;
import org.semanticranking.personalization.profile.ProfileSettings;
import org.semanticranking.ranking.feature.ClicksFeature;
import org.semanticranking.ranking.feature.Feature;
import org.semanticranking.ranking.feature.ShopperFeature;
import org.semanticranking.ranking.model.TrainingSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The candidates of a training from impressions: the events read one page of users at a time ({@link
 * InteractionStream}), each user's replayed into impressions with a click ({@link ImpressionReplay}), and each
 * impression's first stage run with its logged query and a {@code learned_rank} that logs the features of the shopper
 * as they were before it (an inline shopper), a multi-search of {@link CandidateCollector#REQUESTS_PER_SEARCH}
 * impressions at a time. Memory holds the packed rows and one page of users' events. Blocking: the jobs pool only.
 */
final class ImpressionCollector {

    /** The candidates and the requests (one per impression, in the same order) they were collected for. */
    record Collected(TrainingSet set, List<JudgedRequest> requests, long users, long skippedEvents) {}

    /** An impression waiting for its search, with the clicks of everyone but its shopper ({@code null}: none read). */
    private record Pending(ImpressionReplay.LoggedImpression impression, QueryClicks clicks) {}

    /**
     * Where a training reads the events' clicks per query: the node's interactions index (what a {@code clicks} feature
     * naming no index reads when served) and the read of an index's table over the given slots (blocking).
     */
    record ClickSource(String interactionsIndex, IntFunction<ClickTable> load) {}

    private ImpressionCollector() {}

    /**
     * @param fields        the events index's fields
     * @param until         the latest event to read
     * @param propensities  each slot's examination relative to the top slot
     * @param productIndices where the products of the events are looked up for the shopper's profile
     * @param clickTable    where the events' clicks per query are read when a feature reads clicks
     */
    static Collected collect(
            Client client,
            Evaluator evaluator,
            TrainingRequest request,
            ImpressionOptions options,
            InteractionFields fields,
            long until,
            double[] propensities,
            ProfileSettings settings,
            String[] productIndices,
            ClickSource clickTable,
            JobTask task) {
        List<Feature> features = request.features();
        ClickTable clicks = clicksOf(features, options, clickTable);
        List<ShopperFeature> shopper = features.stream()
                .filter(f -> f instanceof ShopperFeature)
                .map(f -> (ShopperFeature) f)
                .toList();
        String vectorField = shopper.stream()
                .filter(f -> f.measure().readsVectors())
                .map(ShopperFeature::field)
                .findFirst()
                .orElse(null);
        List<String> affinityFields = shopper.stream()
                .filter(f -> f.measure() == ShopperFeature.Measure.AFFINITY)
                .map(ShopperFeature::field)
                .distinct()
                .toList();
        String priceField = shopper.stream()
                .filter(f -> f.measure() == ShopperFeature.Measure.PRICE_FIT
                        || f.measure() == ShopperFeature.Measure.PRICE_TASTE)
                .map(ShopperFeature::field)
                .findFirst()
                .orElse(null);
        int sessionSize = shopper.stream()
                .filter(f -> f.measure().readsSession())
                .mapToInt(ShopperFeature::sessionSize)
                .max()
                .orElse(0);
        FeatureSpec spec = new FeatureSpec(vectorField, affinityFields, priceField, null, null, false);
        ProductCache products = new ProductCache(client, productIndices, spec, 100_000);
        // the price taste compares the shopper's clicks at a price with what the slots they were shown draw from anyone
        PositionClickRates slotRates = shopper.stream().anyMatch(f -> f.measure() == ShopperFeature.Measure.PRICE_TASTE)
                ? PositionClickRates.load(client, options.index(), fields, until)
                : PositionClickRates.NONE;
        ImpressionReplay replay = new ImpressionReplay(
                settings, slotRates, until, affinityFields, sessionSize, propensities, options.propensityFloor());

        List<String> names = features.stream().map(Feature::name).toList();
        TrainingSet set = new TrainingSet(names);
        List<JudgedRequest> requests = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        long[] users = {0}, skipped = {0};
        InteractionStream stream = new InteractionStream(client, options.index(), fields, Long.MIN_VALUE, until);
        stream.forEachUserPage(
                options.usersPerBatch(),
                () -> task.isCancelled() || requests.size() + pending.size() >= options.maxImpressions(),
                page -> stream.forEachUser(page, options.maxEventsPerUser(), skipped, (userId, events) -> {
                    users[0]++;
                    if (requests.size() + pending.size() >= options.maxImpressions()) {
                        return;
                    }
                    products.load(events.stream()
                            .map(InteractionEvent::productId)
                            .distinct()
                            .toList());
                    Map<String, QueryClicks> own = clicks == null ? null : clicks.own(events);
                    replay.replay(userId, events, products::get, impression -> {
                        if (requests.size() + pending.size() < options.maxImpressions()
                                && options.trainsOn(impression.query())) {
                            pending.add(new Pending(
                                    impression, clicks == null ? null : clicks.without(impression.query(), own)));
                        }
                    });
                    while (pending.size() >= CandidateCollector.REQUESTS_PER_SEARCH) {
                        run(client, evaluator, request, options, pending, set, requests, task);
                    }
                }));
        if (task.isCancelled()) {
            throw new TaskCancelledException(task.getDescription() + " cancelled");
        }
        while (pending.isEmpty() == false) {
            run(client, evaluator, request, options, pending, set, requests, task);
        }
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("[" + TrainingRequest.API + "] [" + ImpressionOptions.FIELD
                    + "]: no impression of [" + options.index() + "] has a click on a product it showed and a "
                    + (options.queries() == null ? "query" : "query of [queries]") + ": there is nothing to train on");
        }
        return new Collected(set, requests, users[0], skipped[0]);
    }

    /**
     * The clicks table the features read, or {@code null} when none does. Every {@code clicks} feature must read the
     * impressions' own events index over the same slots: the table stands for the events as a search would read them.
     */
    private static ClickTable clicksOf(List<Feature> features, ImpressionOptions options, ClickSource source) {
        List<ClicksFeature> clicks = features.stream()
                .filter(f -> f instanceof ClicksFeature)
                .map(f -> (ClicksFeature) f)
                .toList();
        if (clicks.isEmpty()) {
            return null;
        }
        for (ClicksFeature f : clicks) {
            String index = f.index() != null ? f.index() : source.interactionsIndex();
            if (index.equals(options.index()) == false) {
                throw new IllegalArgumentException("[" + TrainingRequest.API + "] feature [" + f.name()
                        + "] reads the clicks of [" + index + "] but the impressions come from ["
                        + options.index() + "]: a training from impressions reads both from the same events");
            }
            if (f.slots() != clicks.get(0).slots()) {
                throw new IllegalArgumentException("[" + TrainingRequest.API + "] features ["
                        + clicks.get(0).name()
                        + "] and [" + f.name() + "] read clicks over different [slots]; a training from impressions "
                        + "reads them once, over the same slots");
            }
        }
        return source.load().apply(clicks.get(0).slots());
    }

    /** Runs the first {@code REQUESTS_PER_SEARCH} pending impressions as one multi-search and packs their candidates. */
    private static void run(
            Client client,
            Evaluator evaluator,
            TrainingRequest request,
            ImpressionOptions options,
            List<Pending> pending,
            TrainingSet set,
            List<JudgedRequest> requests,
            JobTask task) {
        if (task.isCancelled()) {
            throw new TaskCancelledException(task.getDescription() + " cancelled");
        }
        task.progress("collecting candidates", "impressions", requests.size(), "of at most", options.maxImpressions());
        List<Pending> batch =
                new ArrayList<>(pending.subList(0, Math.min(pending.size(), CandidateCollector.REQUESTS_PER_SEARCH)));
        pending.subList(0, batch.size()).clear();
        List<JudgedRequest> judged = new ArrayList<>();
        MultiSearchRequest msearch = new MultiSearchRequest();
        for (Pending next : batch) {
            ImpressionReplay.LoggedImpression impression = next.impression();
            JudgedRequest r = new JudgedRequest(
                    impression.id(),
                    Map.of(options.queryParam(), impression.query(), options.userParam(), impression.userId()),
                    impression.grades());
            judged.add(r);
            msearch.add(CandidateCollector.search(
                    evaluator, request, request.features(), r, impression.shopper(), next.clicks()));
        }
        MultiSearchResponse response = client.multiSearch(msearch).actionGet();
        try {
            MultiSearchResponse.Item[] items = response.getResponses();
            for (int i = 0; i < items.length; i++) {
                SearchHit[] hits = CandidateCollector.hits(items[i]);
                if (options.candidates() == ImpressionOptions.Candidates.SHOWN) {
                    Set<String> shown = batch.get(i).impression().shown();
                    hits = Arrays.stream(hits)
                            .filter(h -> shown.contains(h.getId()))
                            .toArray(SearchHit[]::new);
                }
                TrainingSet.Group group = CandidateCollector.group(judged.get(i), set.featureNames(), hits);
                set.add(new TrainingSet.Group(
                        group.requestId(),
                        group.ids(),
                        group.features(),
                        group.labels(),
                        batch.get(i).impression().weight()));
                requests.add(judged.get(i));
            }
        } finally {
            response.decRef();
        }
    }
}

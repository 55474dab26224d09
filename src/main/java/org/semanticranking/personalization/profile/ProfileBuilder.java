package org.semanticranking.personalization.profile;

import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.search.aggregations.AggregationBuilders;
import org.elasticsearch.search.aggregations.metrics.Max;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.tasks.TaskCancelledException;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentFactory;
import org.semanticranking.common.JobTask;
import org.semanticranking.common.PluginIndices;
import org.semanticranking.personalization.ProductCache;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionStream;
import org.semanticranking.personalization.events.PositionClickRates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * {@code POST _semantic_ranking/profiles/_build}: folds the interactions of every user with events since
 * the last build (or of every user, with {@code "full": true}) into their profile, a page of users at a
 * time, and writes the profiles with bulk requests. Blocking; runs on the plugin's jobs pool.
 *
 * <p>With a {@code popularity_field}, it also writes each product's count of clicks, carts and purchases into
 * that field of the product documents (see {@link ProductStatsWriter}), recomputed from every event;
 * with a {@code click_lift_field}, each product's clicks in result lists and the clicks expected from its slots.
 * A full build also removes them from products that no event gives them any more ({@link ProductStatsReset}).
 *
 * <p>Incremental builds rebuild a changed user from all their events (up to {@code max_events_per_user}),
 * so a profile never depends on the order of builds. "Since the last build" means events with a later
 * {@code @timestamp} than the latest event the last build read; events logged late with an older
 * timestamp wait for the next {@code full} build.
 */
public final class ProfileBuilder {

    public static final String API = "profiles/_build";
    public static final Set<String> OPTIONS = Set.of("full", "users_per_batch", "max_events_per_user");

    public record Result(
            long users,
            long events,
            long skippedEvents,
            long productsFetched,
            Long productsWithPopularity,
            Long productsWithClickLift,
            Long productsRewritten,
            Long productsReset,
            Long since,
            Long until,
            boolean full,
            String profilesIndex,
            long tookMillis)
            implements ToXContentObject {
        @Override
        public XContentBuilder toXContent(XContentBuilder builder, ToXContent.Params params) throws IOException {
            builder.startObject();
            builder.field("profiles_index", profilesIndex);
            builder.field("full", full);
            builder.field("users", users);
            builder.field("events", events);
            builder.field("skipped_events", skippedEvents);
            builder.field("products_fetched", productsFetched);
            if (productsWithPopularity != null) {
                builder.field("products_with_popularity", productsWithPopularity);
            }
            if (productsWithClickLift != null) {
                builder.field("products_with_click_lift", productsWithClickLift);
            }
            if (productsWithPopularity != null || productsWithClickLift != null) {
                // of the products given statistics, those whose document changed (the others were no-op updates)
                builder.field("products_rewritten", productsRewritten);
                builder.field("products_reset", productsReset);
                builder.field("product_stats", full ? FULL_STATS : INCREMENTAL_STATS);
            }
            builder.field("events_after", since);
            builder.field("events_until", until);
            builder.field("took_ms", tookMillis);
            return builder.endObject();
        }
    }

    static final String FULL_STATS =
            "recomputed from every event for every product with events; products without any had theirs removed";
    static final String INCREMENTAL_STATS =
            "recomputed from every event for every product with events; products without any keep what an "
                    + "earlier build wrote (a full build removes it)";

    private ProfileBuilder() {}

    public static Result build(Client client, LearningRequest request, JobTask task, long nowMillis) {
        long start = System.nanoTime();
        boolean requestedFull = request.booleanOption("full", false);
        int usersPerBatch = request.intOption("users_per_batch", 500, 1, 10_000);
        int maxEventsPerUser = request.intOption("max_events_per_user", 10_000, 1, 1_000_000);
        ensureIndex(client, request.profilesIndex());
        long until = InteractionStream.latestEvent(client, request.interactionsIndex(), request.interactionFields());
        boolean writesStats =
                request.spec().popularityField() != null || request.spec().clickLiftField() != null;
        if (until == Long.MIN_VALUE) {
            Long reset = null;
            if (requestedFull && writesStats) {
                // no events at all: a full build still leaves no product with statistics from an earlier log
                reset = resetStats(client, request, Long.MAX_VALUE, task);
                client.admin().indices().prepareRefresh(request.productsIndex()).get();
            }
            return new Result(
                    0,
                    0,
                    0,
                    0,
                    reset != null && request.spec().popularityField() != null ? 0L : null,
                    reset != null && request.spec().clickLiftField() != null ? 0L : null,
                    reset != null ? 0L : null,
                    reset,
                    null,
                    null,
                    requestedFull,
                    request.profilesIndex(),
                    millisSince(start));
        }
        long since = requestedFull ? Long.MIN_VALUE : lastBuildUntil(client, request.profilesIndex());
        if (since >= until) {
            return new Result(
                    0,
                    0,
                    0,
                    0,
                    null,
                    null,
                    null,
                    null,
                    since,
                    until,
                    false,
                    request.profilesIndex(),
                    millisSince(start));
        }
        InteractionStream stream =
                new InteractionStream(client, request.interactionsIndex(), request.interactionFields(), since, until);
        ProductCache products = new ProductCache(client, request.productsIndex(), request.spec(), 100_000);
        // the price taste's expected clicks (the products' click statistics are counts: they need no rates)
        PositionClickRates slotRates = request.spec().priceField() != null
                ? PositionClickRates.load(client, request.interactionsIndex(), request.interactionFields(), until)
                : PositionClickRates.NONE;
        long[] users = {0}, events = {0}, skipped = {0};
        stream.forEachUserPage(usersPerBatch, task::isCancelled, page -> {
            BulkRequest bulk = new BulkRequest();
            stream.forEachUser(page, maxEventsPerUser, skipped, (userId, userEvents) -> {
                products.load(userEvents.stream()
                        .map(InteractionEvent::productId)
                        .distinct()
                        .toList());
                ProfileAccumulator acc = new ProfileAccumulator(
                        request.profileSettings(), until, request.spec().affinityFields(), slotRates);
                for (InteractionEvent e : userEvents) {
                    acc.add(e, products.get(e.productId()));
                }
                bulk.add(new IndexRequest(request.profilesIndex())
                        .id(userId)
                        .source(profileSource(acc.snapshot(userId), until, nowMillis)));
                users[0]++;
                events[0] += userEvents.size();
            });
            if (bulk.numberOfActions() > 0) {
                BulkResponse response = client.bulk(bulk).actionGet();
                if (response.hasFailures()) {
                    throw new IllegalStateException("writing profiles to [" + request.profilesIndex() + "] failed: "
                            + response.buildFailureMessage());
                }
            }
            task.progress(
                    "building profiles",
                    "users",
                    users[0],
                    "events",
                    events[0],
                    "products_fetched",
                    products.fetched());
        });
        if (task.isCancelled()) {
            throw new TaskCancelledException("profile build cancelled after " + users[0] + " users");
        }
        client.admin().indices().prepareRefresh(request.profilesIndex()).get();
        Long popularity = null, clickLift = null, rewritten = null, reset = null;
        if (writesStats) {
            task.progress(
                    "writing product statistics",
                    "users",
                    users[0],
                    "events",
                    events[0],
                    "products_fetched",
                    products.fetched());
            ProductStatsWriter.Written written = ProductStatsWriter.write(
                    client,
                    request.interactionsIndex(),
                    request.interactionFields(),
                    request.productsIndex(),
                    request.spec().popularityField(),
                    request.spec().clickLiftField(),
                    since,
                    until,
                    task::isCancelled);
            popularity = request.spec().popularityField() != null ? written.withPopularity() : null;
            clickLift = request.spec().clickLiftField() != null ? written.withClickLift() : null;
            rewritten = written.rewritten();
            if (since == Long.MIN_VALUE) {
                // a full build leaves the products as a first build would: statistics no event gives any more go
                task.progress(
                        "removing stale product statistics",
                        "users",
                        users[0],
                        "events",
                        events[0],
                        "products_fetched",
                        products.fetched());
                reset = resetStats(client, request, until, task);
                client.admin().indices().prepareRefresh(request.productsIndex()).get();
            } else {
                reset = 0L;
            }
        }
        return new Result(
                users[0],
                events[0],
                skipped[0],
                products.fetched(),
                popularity,
                clickLift,
                rewritten,
                reset,
                since == Long.MIN_VALUE ? null : since,
                until,
                since == Long.MIN_VALUE,
                request.profilesIndex(),
                millisSince(start));
    }

    /** Removes the statistics of products with no events up to {@code until} (see {@link ProductStatsReset}). */
    private static long resetStats(Client client, LearningRequest request, long until, JobTask task) {
        return ProductStatsReset.reset(
                client,
                request.interactionsIndex(),
                request.interactionFields(),
                request.productsIndex(),
                request.spec().popularityField(),
                request.spec().clickLiftField(),
                until,
                task::isCancelled);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static void ensureIndex(Client client, String index) {
        PluginIndices.ensure(client, index, Settings.EMPTY, ProfilesIndex.MAPPING);
    }

    /** The latest event time the last build read, from the profiles it wrote; {@code Long.MIN_VALUE} when none. */
    static long lastBuildUntil(Client client, String profilesIndex) {
        try {
            SearchResponse response = client.search(new SearchRequest(profilesIndex)
                            .source(new SearchSourceBuilder()
                                    .size(0)
                                    .trackTotalHits(false)
                                    .aggregation(
                                            AggregationBuilders.max("until").field("built_until"))))
                    .actionGet();
            try {
                Max max = response.getAggregations().get("until");
                return Double.isFinite(max.value()) ? (long) max.value() : Long.MIN_VALUE;
            } finally {
                response.decRef();
            }
        } catch (IndexNotFoundException e) {
            return Long.MIN_VALUE;
        }
    }

    static XContentBuilder profileSource(UserProfile profile, long until, long now) {
        try {
            XContentBuilder b = XContentFactory.jsonBuilder().startObject();
            profile.fieldsToXContent(b);
            return b.field("built_until", until).field("built_at", now).endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

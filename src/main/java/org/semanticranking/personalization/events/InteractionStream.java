package org.semanticranking.personalization.events;

import org.elasticsearch.action.search.ClosePointInTimeRequest;
import org.elasticsearch.action.search.OpenPointInTimeRequest;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.search.TransportClosePointInTimeAction;
import org.elasticsearch.action.search.TransportOpenPointInTimeAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.bytes.BytesReference;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.aggregations.AggregationBuilders;
import org.elasticsearch.search.aggregations.bucket.composite.CompositeAggregation;
import org.elasticsearch.search.aggregations.bucket.composite.CompositeAggregationBuilder;
import org.elasticsearch.search.aggregations.bucket.composite.TermsValuesSourceBuilder;
import org.elasticsearch.search.aggregations.metrics.Max;
import org.elasticsearch.search.builder.PointInTimeBuilder;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.sort.SortOrder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Reads the interactions index in bounded memory for the build and the training, blocking (it runs on the
 * plugin's jobs pool, never on a transport or search thread): the users with events in a time range, page by
 * page (composite aggregation), and each page's events, user by user in time order (a point in time with
 * {@code search_after}), keeping at most the newest {@code maxEventsPerUser} of each user.
 */
public final class InteractionStream {

    private static final TimeValue KEEP_ALIVE = TimeValue.timeValueMinutes(5);
    private static final int EVENTS_PER_PAGE = 5000;

    private final Client client;
    private final String index;
    private final InteractionFields fields;
    private final long sinceExclusive;
    private final long untilInclusive;

    /** Events with {@code sinceExclusive < @timestamp <= untilInclusive} pick the users; all their events up to {@code until} count. */
    public InteractionStream(
            Client client, String index, InteractionFields fields, long sinceExclusive, long untilInclusive) {
        this.client = client;
        this.index = index;
        this.fields = fields;
        this.sinceExclusive = sinceExclusive;
        this.untilInclusive = untilInclusive;
    }

    /** The latest event time in the index, or {@code Long.MIN_VALUE} when it has none. */
    public static long latestEvent(Client client, String index, InteractionFields fields) {
        SearchResponse response = client.search(new SearchRequest(index)
                        .source(new SearchSourceBuilder()
                                .size(0)
                                .trackTotalHits(false)
                                .aggregation(AggregationBuilders.max("latest").field(fields.timestamp()))))
                .actionGet();
        try {
            Max max = response.getAggregations().get("latest");
            return Double.isFinite(max.value()) ? (long) max.value() : Long.MIN_VALUE;
        } finally {
            response.decRef();
        }
    }

    /** Calls {@code page} with each page of user ids that have events in the range; stops early when {@code cancelled}. */
    public void forEachUserPage(
            int usersPerPage, BooleanSupplier cancelled, java.util.function.Consumer<List<String>> page) {
        Map<String, Object> after = null;
        while (cancelled.getAsBoolean() == false) {
            CompositeAggregationBuilder users = new CompositeAggregationBuilder(
                            "users", List.of(new TermsValuesSourceBuilder("user").field(fields.userId())))
                    .size(usersPerPage);
            if (after != null) {
                users.aggregateAfter(after);
            }
            SearchResponse response = client.search(new SearchRequest(index)
                            .source(new SearchSourceBuilder()
                                    .size(0)
                                    .trackTotalHits(false)
                                    .query(usersQuery())
                                    .aggregation(users)))
                    .actionGet();
            List<String> ids = new ArrayList<>();
            try {
                CompositeAggregation agg = response.getAggregations().get("users");
                agg.getBuckets().forEach(b -> ids.add(b.getKey().get("user").toString()));
                after = agg.afterKey();
            } finally {
                response.decRef();
            }
            if (ids.isEmpty()) {
                return;
            }
            page.accept(ids);
            if (after == null || ids.size() < usersPerPage) {
                return;
            }
        }
    }

    /**
     * The events that name the users. With no lower bound, none (all events): a composite aggregation over every
     * document walks the user ids' terms in order (Elasticsearch's sorted-docs path), so a page costs its own users'
     * events; under any query each page would scan every matching event again, and the pages of a log's users would
     * scan the log once per page, a cost that grows with users times events (benchmarks/README.md, issue 18). A user
     * whose events all came after {@code until} is listed then, and {@link #forEachUser} reads no event for them.
     */
    private QueryBuilder usersQuery() {
        return sinceExclusive == Long.MIN_VALUE ? QueryBuilders.matchAllQuery() : range(sinceExclusive);
    }

    private BoolQueryBuilder range(long fromExclusive) {
        var range =
                QueryBuilders.rangeQuery(fields.timestamp()).lte(untilInclusive).format("epoch_millis");
        if (fromExclusive != Long.MIN_VALUE) {
            range.gt(fromExclusive);
        }
        return QueryBuilders.boolQuery().filter(range);
    }

    /**
     * Calls {@code user} once per user of the page with their events up to {@code until}, oldest first (at most the
     * newest {@code maxEventsPerUser}). Events that fail to parse are counted in {@code skipped} and left out.
     */
    public void forEachUser(
            List<String> userIds,
            int maxEventsPerUser,
            long[] skipped,
            BiConsumer<String, List<InteractionEvent>> user) {
        BytesReference pit = client.execute(
                        TransportOpenPointInTimeAction.TYPE, new OpenPointInTimeRequest(index).keepAlive(KEEP_ALIVE))
                .actionGet()
                .getPointInTimeId();
        try {
            Object[] searchAfter = null;
            String current = null;
            Deque<InteractionEvent> events = new ArrayDeque<>();
            while (true) {
                SearchSourceBuilder source = new SearchSourceBuilder()
                        .query(range(Long.MIN_VALUE).filter(QueryBuilders.termsQuery(fields.userId(), userIds)))
                        .size(EVENTS_PER_PAGE)
                        .trackTotalHits(false)
                        .pointInTimeBuilder(new PointInTimeBuilder(pit).setKeepAlive(KEEP_ALIVE))
                        .sort(fields.userId(), SortOrder.ASC)
                        .sort(fields.timestamp(), SortOrder.ASC);
                if (searchAfter != null) {
                    source.searchAfter(searchAfter);
                }
                SearchResponse response =
                        client.search(new SearchRequest().source(source)).actionGet();
                SearchHit[] hits;
                try {
                    hits = response.getHits().getHits();
                    if (response.pointInTimeId() != null) {
                        pit = response.pointInTimeId();
                    }
                    for (SearchHit hit : hits) {
                        InteractionEvent event;
                        try {
                            event = InteractionEvent.fromSource(hit.getSourceAsMap());
                        } catch (IllegalArgumentException e) {
                            skipped[0]++;
                            continue;
                        }
                        if (current != null && current.equals(event.userId()) == false) {
                            user.accept(current, List.copyOf(events));
                            events.clear();
                        }
                        current = event.userId();
                        events.addLast(event);
                        if (events.size() > maxEventsPerUser) {
                            events.removeFirst();
                        }
                    }
                    if (hits.length > 0) {
                        searchAfter = hits[hits.length - 1].getSortValues();
                    }
                } finally {
                    response.decRef();
                }
                if (hits.length < EVENTS_PER_PAGE) {
                    break;
                }
            }
            if (current != null) {
                user.accept(current, List.copyOf(events));
            }
        } finally {
            client.execute(TransportClosePointInTimeAction.TYPE, new ClosePointInTimeRequest(pit))
                    .actionGet();
        }
    }
}

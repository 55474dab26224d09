package org.semanticranking.personalization.events;

import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.aggregations.AggregationBuilders;
import org.elasticsearch.search.aggregations.BucketOrder;
import org.elasticsearch.search.aggregations.bucket.SingleBucketAggregation;
import org.elasticsearch.search.aggregations.bucket.terms.Terms;
import org.elasticsearch.search.builder.SearchSourceBuilder;

import java.util.HashMap;
import java.util.Map;

/**
 * How often a product shown in each slot of a result list is clicked, over every shopper's impressions: the
 * expected clicks that {@link PriceTaste} holds a shopper's clicks against. It carries the position bias and the
 * average relevance of what each slot holds, which are not the shopper's taste. Read with one aggregation per
 * build or training (a slot per bucket, so its memory is the number of distinct positions).
 */
public final class PositionClickRates {

    /** Slots past this are rare and read as the overall rate. */
    public static final int MAX_POSITIONS = 1000;

    public static final PositionClickRates NONE = new PositionClickRates(Map.of(), 0, 0);

    private final Map<Integer, Double> bySlot;
    private final Map<Integer, long[]> viewsAndClicks;
    private final double overall;

    /**
     * @param views  shown products (views in an impression) per position
     * @param clicks clicks in an impression per position
     */
    public PositionClickRates(Map<Integer, long[]> viewsAndClicks, long views, long clicks) {
        Map<Integer, Double> rates = new HashMap<>();
        long clicksInSlots =
                viewsAndClicks.values().stream().mapToLong(vc -> vc[1]).sum();
        // clicks logged without their position would make every slot look unclicked: then every slot gets the overall
        // rate (expected clicks in proportion to views), which still compares prices within the shopper's own lists
        if (clicksInSlots * 2 >= clicks) {
            viewsAndClicks.forEach((position, vc) -> {
                if (vc[0] > 0) {
                    rates.put(position, Math.min(1.0, (double) vc[1] / vc[0]));
                }
            });
        }
        this.bySlot = Map.copyOf(rates);
        this.viewsAndClicks = rates.isEmpty() ? Map.of() : Map.copyOf(viewsAndClicks);
        this.overall = views > 0 ? Math.min(1.0, (double) clicks / views) : 0;
    }

    /** No impressions were logged: there is nothing to expect clicks from. */
    public boolean isEmpty() {
        return overall == 0 && bySlot.isEmpty();
    }

    /**
     * The click rate of this slot over all shoppers; the overall rate for a slot not logged (or {@code null}), and for
     * every slot when most clicks were logged without their position.
     */
    public double expectedClicks(Integer position) {
        Double rate = position == null ? null : bySlot.get(position);
        return rate != null ? rate : overall;
    }

    /**
     * The click rate of the slots from {@code slot} down, together (their clicks over their views); the overall rate
     * when none of them was logged with its position.
     */
    public double expectedClicksBelow(int slot) {
        long views = 0, clicks = 0;
        for (Map.Entry<Integer, long[]> e : viewsAndClicks.entrySet()) {
            if (e.getKey() >= slot) {
                views += e.getValue()[0];
                clicks += e.getValue()[1];
            }
        }
        return views > 0 ? Math.min(1.0, (double) clicks / views) : overall;
    }

    /** The rates of the impressions logged in the interactions index up to {@code until}. Blocking: the jobs pool only. */
    public static PositionClickRates load(
            Client client, String interactionsIndex, InteractionFields fields, long until) {
        SearchSourceBuilder source = new SearchSourceBuilder()
                .size(0)
                .trackTotalHits(false)
                .query(QueryBuilders.boolQuery()
                        .filter(QueryBuilders.existsQuery(fields.impressionId()))
                        .filter(QueryBuilders.rangeQuery(fields.timestamp())
                                .lte(until)
                                .format("epoch_millis")))
                .aggregation(perSlot("views", InteractionType.VIEW, fields))
                .aggregation(perSlot("clicks", InteractionType.CLICK, fields));
        SearchResponse response = client.search(new SearchRequest(interactionsIndex).source(source))
                .actionGet();
        try {
            SingleBucketAggregation views = response.getAggregations().get("views");
            SingleBucketAggregation clicks = response.getAggregations().get("clicks");
            Map<Integer, long[]> slots = new HashMap<>();
            for (Terms.Bucket b : ((Terms) views.getAggregations().get("slots")).getBuckets()) {
                slots.computeIfAbsent(b.getKeyAsNumber().intValue(), p -> new long[2])[0] = b.getDocCount();
            }
            for (Terms.Bucket b : ((Terms) clicks.getAggregations().get("slots")).getBuckets()) {
                slots.computeIfAbsent(b.getKeyAsNumber().intValue(), p -> new long[2])[1] = b.getDocCount();
            }
            return new PositionClickRates(slots, views.getDocCount(), clicks.getDocCount());
        } finally {
            response.decRef();
        }
    }

    private static org.elasticsearch.search.aggregations.AggregationBuilder perSlot(
            String name, InteractionType type, InteractionFields fields) {
        return AggregationBuilders.filter(name, QueryBuilders.termQuery(fields.type(), type.value()))
                .subAggregation(AggregationBuilders.terms("slots")
                        .field(fields.position())
                        .size(MAX_POSITIONS)
                        .order(BucketOrder.key(true)));
    }
}

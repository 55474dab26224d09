package org.semanticranking.judgments.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.aggregations.AggregationBuilders;
import org.elasticsearch.search.aggregations.bucket.SingleBucketAggregation;
import org.elasticsearch.search.aggregations.bucket.composite.CompositeAggregation;
import org.elasticsearch.search.aggregations.bucket.composite.CompositeAggregationBuilder;
import org.elasticsearch.search.aggregations.bucket.composite.TermsValuesSourceBuilder;
import org.elasticsearch.search.aggregations.metrics.Cardinality;
import org.elasticsearch.search.aggregations.metrics.CardinalityAggregationBuilder;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.semanticranking.judgments.Judgments;
import org.semanticranking.judgments.Shown;
import org.semanticranking.judgments.ShownCounts;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.events.InteractionType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an events index into {@link ShownCounts} without holding its events: a composite aggregation by (query,
 * product, position) over the events of impressions, a page of buckets per search, each bucket with its views, the
 * impressions in which the product got a click, a cart or a purchase (the cardinality of their {@code impression_id},
 * exact below its precision threshold), and the count of each positive type for their weights. Queries are merged by
 * their normalised text ({@link Judgments#normalize}). Asynchronous: each page's search answers on a search thread,
 * which only folds the buckets and asks for the next page.
 */
final class EventCounts {

    /** What was read: the counts, and the positive events that could not be placed (no position or no query). */
    record Read(List<ShownCounts> rows, long unplaced) {}

    static final int PAGE = 5000;
    /** Impressions per bucket below which the cardinality of impression ids is exact. */
    static final int PRECISION = 10_000;

    private static final List<InteractionType> POSITIVES = InteractionType.POSITIVES;

    private final Client client;
    private final String index;
    private final InteractionFields fields;
    private final String queryField;
    private final int slots;
    private final Map<InteractionType, Double> weights;
    private final Map<String, long[]> counts = new LinkedHashMap<>(); // shown, clicked
    private final Map<String, Double> weighted = new LinkedHashMap<>();
    private final Map<String, Key> keys = new LinkedHashMap<>();
    /** Only the events of this query (a term query on the query field); {@code null} for every query. */
    private QueryBuilder only;

    private record Key(String query, String productId, int slot) {}

    EventCounts(
            Client client,
            String index,
            InteractionFields fields,
            String queryField,
            int slots,
            Map<InteractionType, Double> weights) {
        this.client = client;
        this.index = index;
        this.fields = fields;
        this.queryField = queryField;
        this.slots = slots;
        this.weights = weights;
    }

    /** The counts of one query's impressions only: its text matched as logged, ignoring case. */
    EventCounts only(String query) {
        this.only = QueryBuilders.termQuery(queryField, query.trim()).caseInsensitive(true);
        return this;
    }

    /** The counts alone, without counting the positive events that could not be placed. */
    void rows(ActionListener<List<ShownCounts>> listener) {
        page(null, listener.map(done -> rows()));
    }

    void read(ActionListener<Read> listener) {
        BoolQueryBuilder unplaced = QueryBuilders.boolQuery()
                .filter(QueryBuilders.termsQuery(fields.type(), InteractionType.POSITIVE_VALUES))
                .filter(QueryBuilders.existsQuery(fields.impressionId()))
                .should(QueryBuilders.boolQuery().mustNot(QueryBuilders.existsQuery(fields.position())))
                .should(QueryBuilders.boolQuery().mustNot(QueryBuilders.existsQuery(queryField)))
                .minimumShouldMatch(1);
        client.search(
                new SearchRequest(index)
                        .source(new SearchSourceBuilder()
                                .size(0)
                                .trackTotalHits(true)
                                .query(unplaced)),
                listener.delegateFailureAndWrap((l, response) -> {
                    long count = response.getHits().getTotalHits().value();
                    page(null, l.map(done -> new Read(rows(), count)));
                }));
    }

    private void page(Map<String, Object> after, ActionListener<Void> listener) {
        CompositeAggregationBuilder pairs = new CompositeAggregationBuilder(
                        "pairs",
                        List.of(
                                new TermsValuesSourceBuilder("q").field(queryField),
                                new TermsValuesSourceBuilder("p").field(fields.productId()),
                                new TermsValuesSourceBuilder("k").field(fields.position())))
                .size(PAGE)
                .subAggregation(AggregationBuilders.filter(
                        InteractionType.VIEW.value(),
                        ofAnImpression(QueryBuilders.termQuery(fields.type(), InteractionType.VIEW.value()))))
                .subAggregation(AggregationBuilders.filter(
                                "positive",
                                ofAnImpression(
                                        QueryBuilders.termsQuery(fields.type(), InteractionType.POSITIVE_VALUES)))
                        .subAggregation(impressions(fields.impressionId())));
        for (InteractionType type : POSITIVES) {
            pairs.subAggregation(AggregationBuilders.filter(
                    type.value(), ofAnImpression(QueryBuilders.termQuery(fields.type(), type.value()))));
        }
        if (after != null) {
            pairs.aggregateAfter(after);
        }
        SearchSourceBuilder source =
                new SearchSourceBuilder().size(0).trackTotalHits(false).aggregation(pairs);
        if (only != null) {
            // one query's events: few, so the composite collects the matching ones for each page
            source.query(QueryBuilders.boolQuery()
                    .filter(only)
                    .filter(QueryBuilders.existsQuery(fields.impressionId()))
                    .filter(QueryBuilders.rangeQuery(fields.position()).gte(0).lt(slots)));
        }
        // The whole log under no query: the composite then walks the query field's terms in order and a page costs its
        // own events (Elasticsearch's sorted-docs path). Under any query it would scan every matching event for every
        // page, pages times the log. The impression and slot filters are applied per bucket instead.
        client.search(new SearchRequest(index).source(source), listener.delegateFailureAndWrap((l, response) -> {
            CompositeAggregation agg = response.getAggregations().get("pairs");
            agg.getBuckets().forEach(this::add);
            Map<String, Object> next = agg.afterKey();
            if (next == null || agg.getBuckets().size() < PAGE) {
                l.onResponse(null);
            } else {
                page(next, l);
            }
        }));
    }

    /**
     * The distinct impressions of a bucket. Hashed value by value ({@code direct}): a bucket holds a few impressions of a
     * log with millions, and the default collector gives each bucket a bit set as long as the segment's impression ids.
     */
    static CardinalityAggregationBuilder impressions(String impressionIdField) {
        CardinalityAggregationBuilder impressions = AggregationBuilders.cardinality("impressions")
                .field(impressionIdField)
                .precisionThreshold(PRECISION);
        impressions.executionHint("direct");
        return impressions;
    }

    /** Only the events of an impression (with its id) count in a bucket. */
    private QueryBuilder ofAnImpression(QueryBuilder type) {
        return QueryBuilders.boolQuery().filter(type).filter(QueryBuilders.existsQuery(fields.impressionId()));
    }

    private void add(CompositeAggregation.Bucket bucket) {
        String query = Judgments.normalize(bucket.getKey().get("q").toString());
        int position = ((Number) bucket.getKey().get("k")).intValue();
        if (query.isEmpty() || position < 0 || position >= slots) {
            return;
        }
        if (((SingleBucketAggregation) bucket.getAggregations().get(InteractionType.VIEW.value())).getDocCount() == 0
                && ((SingleBucketAggregation) bucket.getAggregations().get("positive")).getDocCount() == 0) {
            return; // events outside any impression
        }
        Key key = new Key(
                query,
                bucket.getKey().get("p").toString(),
                ((Number) bucket.getKey().get("k")).intValue() + 1);
        String id = key.query() + '\u0000' + key.productId() + '\u0000' + key.slot();
        keys.putIfAbsent(id, key);
        long views =
                ((SingleBucketAggregation) bucket.getAggregations().get(InteractionType.VIEW.value())).getDocCount();
        SingleBucketAggregation positive = bucket.getAggregations().get("positive");
        long clicked = positive.getDocCount() == 0
                ? 0
                : ((Cardinality) positive.getAggregations().get("impressions")).getValue();
        double clickWeight = weights.getOrDefault(InteractionType.CLICK, 1.0) > 0
                ? weights.getOrDefault(InteractionType.CLICK, 1.0)
                : 1.0;
        double sum = 0;
        for (InteractionType type : POSITIVES) {
            long n = ((SingleBucketAggregation) bucket.getAggregations().get(type.value())).getDocCount();
            sum += n * weights.getOrDefault(type, 1.0) / clickWeight;
        }
        long[] c = counts.computeIfAbsent(id, k -> new long[2]);
        c[0] += views;
        c[1] += clicked;
        weighted.merge(id, sum, Double::sum);
    }

    private List<ShownCounts> rows() {
        List<ShownCounts> rows = new ArrayList<>(counts.size());
        counts.forEach((id, c) -> {
            Key key = keys.get(id);
            // a click logged on a product its impression's views did not list still says the slot was seen
            long shown = Math.max(c[0], c[1]);
            rows.add(new ShownCounts(
                    new Shown.Pair(key.query(), key.productId()),
                    key.slot(),
                    shown,
                    c[1],
                    Math.max(c[1], weighted.get(id))));
        });
        return rows;
    }
}

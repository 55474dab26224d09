package org.semanticranking.interleaving.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.aggregations.AggregationBuilders;
import org.elasticsearch.search.aggregations.bucket.SingleBucketAggregation;
import org.elasticsearch.search.aggregations.bucket.composite.CompositeAggregation;
import org.elasticsearch.search.aggregations.bucket.composite.CompositeAggregationBuilder;
import org.elasticsearch.search.aggregations.bucket.composite.TermsValuesSourceBuilder;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.semanticranking.interleaving.InterleavingOutcome;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.events.InteractionType;

import java.util.List;
import java.util.Map;

/**
 * Reads an experiment's events impression by impression (a composite aggregation on {@code impression_id}, a page of
 * impressions per search, asynchronously), counting each impression's clicks, carts and purchases on the hits of side
 * {@code a} and of side {@code b} ({@link InterleavingOutcome.Counter}).
 */
final class ExperimentClicks {

    static final int PAGE = 5000;
    private static final List<String> POSITIVES = InteractionType.POSITIVE_VALUES;

    private final Client client;
    private final String index;
    private final InteractionFields fields;
    private final String experimentField;
    private final String sideField;
    private final String experiment;
    private final InterleavingOutcome.Counter counter = new InterleavingOutcome.Counter();

    ExperimentClicks(
            Client client,
            String index,
            InteractionFields fields,
            String experimentField,
            String sideField,
            String experiment) {
        this.client = client;
        this.index = index;
        this.fields = fields;
        this.experimentField = experimentField;
        this.sideField = sideField;
        this.experiment = experiment;
    }

    void read(ActionListener<InterleavingOutcome> listener) {
        page(null, listener);
    }

    private void page(Map<String, Object> after, ActionListener<InterleavingOutcome> listener) {
        CompositeAggregationBuilder impressions = new CompositeAggregationBuilder(
                        "impressions", List.of(new TermsValuesSourceBuilder("i").field(fields.impressionId())))
                .size(PAGE);
        for (String side : List.of("a", "b")) {
            impressions.subAggregation(AggregationBuilders.filter(
                    side,
                    QueryBuilders.boolQuery()
                            .filter(QueryBuilders.termsQuery(fields.type(), POSITIVES))
                            .filter(QueryBuilders.termQuery(sideField, side))));
        }
        if (after != null) {
            impressions.aggregateAfter(after);
        }
        SearchSourceBuilder source = new SearchSourceBuilder()
                .size(0)
                .trackTotalHits(false)
                .query(QueryBuilders.boolQuery().filter(QueryBuilders.termQuery(experimentField, experiment)))
                .aggregation(impressions);
        client.search(new SearchRequest(index).source(source), listener.delegateFailureAndWrap((l, response) -> {
            CompositeAggregation agg = response.getAggregations().get("impressions");
            for (CompositeAggregation.Bucket bucket : agg.getBuckets()) {
                long a = ((SingleBucketAggregation) bucket.getAggregations().get("a")).getDocCount();
                long b = ((SingleBucketAggregation) bucket.getAggregations().get("b")).getDocCount();
                counter.add(a, b);
            }
            if (agg.afterKey() == null || agg.getBuckets().size() < PAGE) {
                if (counter.impressions() == 0) {
                    throw new IllegalArgumentException("no impressions of experiment [" + experiment + "] in [" + index
                            + "]: log each shown hit of an [interleave] as a [view] with its [impression_id] and the "
                            + "[experiment] and [side] of its fields._interleave, and each click with the same");
                }
                l.onResponse(counter.outcome());
            } else {
                page(agg.afterKey(), l);
            }
        }));
    }
}

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
import org.elasticsearch.search.aggregations.metrics.Sum;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.semanticranking.interleaving.InterleavingOutcome;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.events.InteractionType;

import java.util.List;
import java.util.Map;

/**
 * Reads an experiment's events impression by impression (a composite aggregation on {@code impression_id}, a page of
 * impressions per search, asynchronously), counting each impression's clicks, carts and purchases on the hits that
 * credit side {@code a} and side {@code b}, and summing their {@code credit} ({@link InterleavingOutcome.Counter}).
 * An event logged without a credit (a team draft's, logged before credits were) credits its side 1.
 */
final class ExperimentClicks {

    static final int PAGE = 5000;
    private static final String CREDIT = "credit";
    private static final List<String> POSITIVES = InteractionType.POSITIVE_VALUES;

    private final Client client;
    private final String index;
    private final InteractionFields fields;
    private final String experimentField;
    private final String sideField;
    private final String creditField;
    private final String experiment;
    private final InterleavingOutcome.Counter counter = new InterleavingOutcome.Counter();

    ExperimentClicks(
            Client client,
            String index,
            InteractionFields fields,
            String experimentField,
            String sideField,
            String creditField,
            String experiment) {
        this.client = client;
        this.index = index;
        this.fields = fields;
        this.experimentField = experimentField;
        this.sideField = sideField;
        this.creditField = creditField;
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
                                    .filter(QueryBuilders.termQuery(sideField, side)))
                    .subAggregation(
                            AggregationBuilders.sum(CREDIT).field(creditField).missing(side.equals("a") ? 1 : -1)));
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
                SingleBucketAggregation a = bucket.getAggregations().get("a");
                SingleBucketAggregation b = bucket.getAggregations().get("b");
                double toA = ((Sum) a.getAggregations().get(CREDIT)).value();
                double toB = -((Sum) b.getAggregations().get(CREDIT)).value();
                // a side's clicks credit it at least 0, whatever a client logged
                counter.add(a.getDocCount(), b.getDocCount(), Math.max(0, toA), Math.max(0, toB));
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

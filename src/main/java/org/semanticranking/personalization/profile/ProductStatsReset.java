package org.semanticranking.personalization.profile;

import org.elasticsearch.action.bulk.BulkItemResponse;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.search.ClosePointInTimeRequest;
import org.elasticsearch.action.search.OpenPointInTimeRequest;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.search.TransportClosePointInTimeAction;
import org.elasticsearch.action.search.TransportOpenPointInTimeAction;
import org.elasticsearch.action.update.UpdateRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.bytes.BytesReference;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.aggregations.AggregationBuilders;
import org.elasticsearch.search.aggregations.bucket.SingleBucketAggregation;
import org.elasticsearch.search.aggregations.bucket.terms.Terms;
import org.elasticsearch.search.builder.PointInTimeBuilder;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.sort.SortBuilders;
import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.events.InteractionType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The second half of a full build's product statistics: products that hold a popularity or click statistics from an
 * earlier build but have no such events in the log any more (the log was replaced, or trimmed) get them removed, so
 * that a full build leaves the products as if it had been the first. Bounded memory: a page of the products that hold
 * a field at a time (a point in time), and for each page one aggregation over the events of just those products.
 */
final class ProductStatsReset {

    private static final TimeValue KEEP_ALIVE = TimeValue.timeValueMinutes(5);
    private static final int PAGE = 1000;

    private ProductStatsReset() {}

    /** @return how many products had a field removed */
    static long reset(
            Client client,
            String interactionsIndex,
            InteractionFields eventFields,
            String productsIndex,
            String popularityField,
            String clickLiftField,
            long until,
            BooleanSupplier cancelled) {
        BoolQueryBuilder holding = QueryBuilders.boolQuery().minimumShouldMatch(1);
        if (popularityField != null) {
            holding.should(QueryBuilders.existsQuery(popularityField));
        }
        if (clickLiftField != null) {
            holding.should(QueryBuilders.existsQuery(clickLiftField + "." + FeatureSpec.CLICKS))
                    .should(QueryBuilders.existsQuery(clickLiftField + "." + FeatureSpec.EXPECTED));
        }
        if (holding.should().isEmpty()) {
            return 0;
        }
        BytesReference pit = client.execute(
                        TransportOpenPointInTimeAction.TYPE,
                        new OpenPointInTimeRequest(productsIndex).keepAlive(KEEP_ALIVE))
                .actionGet()
                .getPointInTimeId();
        long reset = 0;
        try {
            Object[] after = null;
            while (cancelled.getAsBoolean() == false) {
                SearchSourceBuilder source = new SearchSourceBuilder()
                        .query(holding)
                        .size(PAGE)
                        .fetchSource(
                                java.util.stream.Stream.of(popularityField, clickLiftField)
                                        .filter(java.util.Objects::nonNull)
                                        .toArray(String[]::new),
                                null)
                        .trackTotalHits(false)
                        .pointInTimeBuilder(new PointInTimeBuilder(pit).setKeepAlive(KEEP_ALIVE))
                        .sort(SortBuilders.pitTiebreaker());
                if (after != null) {
                    source.searchAfter(after);
                }
                SearchResponse response =
                        client.search(new SearchRequest().source(source)).actionGet();
                List<String> ids = new ArrayList<>();
                Map<String, Set<String>> held = new HashMap<>();
                try {
                    for (SearchHit hit : response.getHits().getHits()) {
                        ids.add(hit.getId());
                        Set<String> fields = new HashSet<>();
                        Map<String, Object> stats = hit.getSourceAsMap();
                        if (popularityField != null && stats.get(popularityField) != null) {
                            fields.add(popularityField);
                        }
                        if (clickLiftField != null && stats.get(clickLiftField) != null) {
                            fields.add(clickLiftField);
                        }
                        held.put(hit.getId(), fields);
                    }
                    if (ids.isEmpty() == false) {
                        after = response.getHits().getHits()[ids.size() - 1].getSortValues();
                    }
                    if (response.pointInTimeId() != null) {
                        pit = response.pointInTimeId();
                    }
                } finally {
                    response.decRef();
                }
                if (ids.isEmpty()) {
                    break;
                }
                reset += removeStale(
                        client,
                        interactionsIndex,
                        eventFields,
                        productsIndex,
                        popularityField,
                        clickLiftField,
                        until,
                        held);
                if (ids.size() < PAGE) {
                    break;
                }
            }
        } finally {
            client.execute(TransportClosePointInTimeAction.TYPE, new ClosePointInTimeRequest(pit))
                    .actionGet();
        }
        return reset;
    }

    /** Of a page of products holding a field, those whose events no longer give it lose it (set to null: no doc value). */
    private static long removeStale(
            Client client,
            String interactionsIndex,
            InteractionFields eventFields,
            String productsIndex,
            String popularityField,
            String clickLiftField,
            long until,
            Map<String, Set<String>> held) {
        List<String> ids = new ArrayList<>(held.keySet());
        // the same events as ProductStatsWriter counts: positives for the popularity, clicks and views in lists for the
        // lift
        var positives = QueryBuilders.termsQuery(eventFields.type(), ProductStatsWriter.POSITIVE_TYPES);
        var inLists = QueryBuilders.boolQuery()
                .filter(QueryBuilders.existsQuery(eventFields.impressionId()))
                .filter(QueryBuilders.termsQuery(
                        eventFields.type(), InteractionType.CLICK.value(), InteractionType.VIEW.value()));
        SearchResponse response = client.search(new SearchRequest(interactionsIndex)
                        .source(new SearchSourceBuilder()
                                .size(0)
                                .trackTotalHits(false)
                                .query(QueryBuilders.boolQuery()
                                        .filter(QueryBuilders.termsQuery(eventFields.productId(), ids))
                                        .filter(QueryBuilders.rangeQuery(eventFields.timestamp())
                                                .lte(until)
                                                .format("epoch_millis")))
                                .aggregation(AggregationBuilders.terms("products")
                                        .field(eventFields.productId())
                                        .size(ids.size())
                                        .subAggregation(AggregationBuilders.filter("positives", positives))
                                        .subAggregation(AggregationBuilders.filter("in_lists", inLists)))))
                .actionGet();
        Set<String> popular = new HashSet<>(), shown = new HashSet<>();
        try {
            for (Terms.Bucket b : ((Terms) response.getAggregations().get("products")).getBuckets()) {
                if (((SingleBucketAggregation) b.getAggregations().get("positives")).getDocCount() > 0) {
                    popular.add(b.getKeyAsString());
                }
                if (((SingleBucketAggregation) b.getAggregations().get("in_lists")).getDocCount() > 0) {
                    shown.add(b.getKeyAsString());
                }
            }
        } finally {
            response.decRef();
        }
        BulkRequest bulk = new BulkRequest();
        for (String id : ids) {
            Map<String, Object> doc = new HashMap<>();
            if (held.get(id).contains(popularityField) && popular.contains(id) == false) {
                doc.put(popularityField, null);
            }
            if (held.get(id).contains(clickLiftField) && shown.contains(id) == false) {
                doc.put(clickLiftField, null);
            }
            if (doc.isEmpty() == false) {
                bulk.add(new UpdateRequest(productsIndex, id).doc(doc));
            }
        }
        if (bulk.numberOfActions() == 0) {
            return 0;
        }
        BulkResponse result = client.bulk(bulk).actionGet();
        long updated = 0;
        for (BulkItemResponse item : result.getItems()) {
            if (item.isFailed() == false) {
                updated++;
            }
        }
        return updated;
    }
}

package org.semanticranking.personalization.profile;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.action.DocWriteResponse;
import org.elasticsearch.action.bulk.BulkItemResponse;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.update.UpdateRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.engine.DocumentMissingException;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.search.aggregations.AggregationBuilder;
import org.elasticsearch.search.aggregations.AggregationBuilders;
import org.elasticsearch.search.aggregations.bucket.SingleBucketAggregation;
import org.elasticsearch.search.aggregations.bucket.composite.CompositeAggregation;
import org.elasticsearch.search.aggregations.bucket.composite.CompositeAggregationBuilder;
import org.elasticsearch.search.aggregations.bucket.composite.TermsValuesSourceBuilder;
import org.elasticsearch.search.aggregations.bucket.terms.Terms;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.events.InteractionType;
import org.semanticranking.personalization.events.PositionClickRates;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes statistics of every shopper's events into the product documents, so that the rescorer reads them from doc
 * values like any other product field: the popularity (clicks, carts and purchases) into the {@code popularity_field},
 * and the clicks in result lists with the views in each slot into the {@code click_lift_field}. One pass over the
 * events and one partial update per product for both (no ingest pipeline runs, the vector stays): every product with
 * events in a full build, only those with events since the previous build in an incremental one, a page of products at
 * a time (composite aggregation), so memory stays bounded. Every
 * value is a count of the product's own events: a product with no new event gets the document it has, which
 * Elasticsearch detects and does not write (a no-op update: no new version, no deleted document, BM25 unmoved).
 */
final class ProductStatsWriter {

    private ProductStatsWriter() {}

    static final List<String> POSITIVE_TYPES = InteractionType.POSITIVE_VALUES;

    /**
     * How many products got a popularity, how many got click statistics, and how many of them were rewritten (the
     * others already held those values: no-op updates).
     */
    record Written(long withPopularity, long withClickLift, long rewritten) {}

    /**
     * @param popularityField the field for each product's count of positive events, or {@code null}
     * @param clickLiftField  the object field for each product's clicks in impressions and its views in each slot
     *                        ({@link FeatureSpec#clickStats}): counts, not a ratio, so that training can leave out the
     *                        shopper's own events and an unchanged product is not rewritten. Or {@code null}
     * @param since           the end of the previous build's events: only the products with events after it are
     *                        counted again (over all their events); {@link Long#MIN_VALUE} for all products
     */
    static Written write(
            Client client,
            String interactionsIndex,
            InteractionFields eventFields,
            String productsIndex,
            String popularityField,
            String clickLiftField,
            long since,
            long until,
            BooleanSupplier cancelled) {
        QueryBuilder untilThen =
                QueryBuilders.rangeQuery(eventFields.timestamp()).lte(until).format("epoch_millis");
        BoolQueryBuilder events = QueryBuilders.boolQuery().minimumShouldMatch(1);
        List<AggregationBuilder> perProduct = new ArrayList<>();
        QueryBuilder positives = QueryBuilders.termsQuery(eventFields.type(), POSITIVE_TYPES);
        if (popularityField != null) {
            events.should(positives);
            perProduct.add(AggregationBuilders.filter("positives", upTo(positives, untilThen)));
        }
        if (clickLiftField != null) {
            QueryBuilder inList = QueryBuilders.existsQuery(eventFields.impressionId());
            QueryBuilder click = QueryBuilders.boolQuery()
                    .filter(inList)
                    .filter(QueryBuilders.termQuery(eventFields.type(), InteractionType.CLICK.value()));
            QueryBuilder view = QueryBuilders.boolQuery()
                    .filter(inList)
                    .filter(QueryBuilders.termQuery(eventFields.type(), InteractionType.VIEW.value()));
            events.should(click).should(view);
            perProduct.add(AggregationBuilders.filter("clicks", upTo(click, untilThen)));
            perProduct.add(AggregationBuilders.filter("views", upTo(view, untilThen))
                    .subAggregation(AggregationBuilders.terms("slots")
                            .field(eventFields.position())
                            .size(PositionClickRates.MAX_POSITIONS)
                            .missing(-1)));
        }
        String fields = Stream.of(popularityField, clickLiftField)
                .filter(Objects::nonNull)
                .collect(Collectors.joining(", "));
        boolean incremental = since != Long.MIN_VALUE;
        // an incremental build pages through the products with events since the last build only, then counts each of
        // them over all its events: its work and its updates grow with the new events, not with the catalogue. A full
        // build pages through every product with events under no query, which lets the composite aggregation walk the
        // product ids' terms in order (its sorted-docs path): under a query each page would scan the whole log again
        // (see InteractionStream); the sub-aggregations count the events up to until
        QueryBuilder pages = incremental
                ? QueryBuilders.boolQuery()
                        .filter(events)
                        .filter(QueryBuilders.rangeQuery(eventFields.timestamp())
                                .gt(since)
                                .lte(until)
                                .format("epoch_millis"))
                : QueryBuilders.matchAllQuery();
        long withPopularity = 0, withClickLift = 0, rewritten = 0;
        Map<String, Object> after = null;
        while (cancelled.getAsBoolean() == false && fields.isEmpty() == false) {
            CompositeAggregationBuilder page = products(eventFields, incremental ? List.of() : perProduct, PAGE);
            if (after != null) {
                page.aggregateAfter(after);
            }
            Map<String, Map<String, Object>> updates = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>();
            SearchResponse response = client.search(new SearchRequest(interactionsIndex)
                            .source(new SearchSourceBuilder()
                                    .size(0)
                                    .trackTotalHits(false)
                                    .query(pages)
                                    .aggregation(page)))
                    .actionGet();
            int buckets;
            try {
                CompositeAggregation agg = response.getAggregations().get("products");
                buckets = agg.getBuckets().size();
                if (incremental) {
                    agg.getBuckets()
                            .forEach(b -> ids.add(b.getKey().get("product").toString()));
                } else {
                    updates.putAll(docs(agg, popularityField, clickLiftField));
                }
                after = agg.afterKey();
            } finally {
                response.decRef();
            }
            if (incremental && ids.isEmpty() == false) {
                SearchResponse counted = client.search(new SearchRequest(interactionsIndex)
                                .source(new SearchSourceBuilder()
                                        .size(0)
                                        .trackTotalHits(false)
                                        .query(QueryBuilders.boolQuery()
                                                .filter(events)
                                                .filter(untilThen)
                                                .filter(QueryBuilders.termsQuery(eventFields.productId(), ids)))
                                        .aggregation(products(eventFields, perProduct, ids.size()))))
                        .actionGet();
                try {
                    updates.putAll(docs(counted.getAggregations().get("products"), popularityField, clickLiftField));
                } finally {
                    counted.decRef();
                }
            }
            if (buckets == 0) {
                break;
            }
            Map<String, Boolean> written =
                    updates.isEmpty() ? Map.of() : update(client, productsIndex, fields, updates);
            for (Map.Entry<String, Boolean> id : written.entrySet()) {
                withPopularity += updates.get(id.getKey()).containsKey(popularityField) ? 1 : 0;
                withClickLift += updates.get(id.getKey()).containsKey(clickLiftField) ? 1 : 0;
                rewritten += id.getValue() ? 1 : 0;
            }
            if (after == null) {
                break;
            }
        }
        client.admin().indices().prepareRefresh(productsIndex).get();
        return new Written(withPopularity, withClickLift, rewritten);
    }

    /** Products per page of the events' composite aggregation (and per bulk of updates). */
    static final int PAGE = 1000;

    private static CompositeAggregationBuilder products(
            InteractionFields eventFields, List<AggregationBuilder> perProduct, int size) {
        CompositeAggregationBuilder products = new CompositeAggregationBuilder(
                        "products", List.of(new TermsValuesSourceBuilder("product").field(eventFields.productId())))
                .size(size);
        perProduct.forEach(products::subAggregation);
        return products;
    }

    /** The partial document of each product of the page: its counts of events. */
    private static Map<String, Map<String, Object>> docs(
            CompositeAggregation agg, String popularityField, String clickLiftField) {
        Map<String, Map<String, Object>> updates = new LinkedHashMap<>();
        for (CompositeAggregation.Bucket b : agg.getBuckets()) {
            Map<String, Object> doc = new HashMap<>();
            if (popularityField != null) {
                long count = ((SingleBucketAggregation) b.getAggregations().get("positives")).getDocCount();
                if (count > 0) {
                    doc.put(popularityField, count);
                }
            }
            if (clickLiftField != null) {
                long clicks = ((SingleBucketAggregation) b.getAggregations().get("clicks")).getDocCount();
                SingleBucketAggregation views = b.getAggregations().get("views");
                if (clicks > 0 || views.getDocCount() > 0) {
                    // counts only: they change when this product's events do, so an unchanged product is a no-op
                    // update; the expected clicks are computed with the slots' rates where read
                    long[] viewsBySlot = new long[FeatureSpec.SLOTS + 1];
                    for (Terms.Bucket slot : ((Terms) views.getAggregations().get("slots")).getBuckets()) {
                        int position = slot.getKeyAsNumber().intValue();
                        // a view without its position counts with the slots below the first ones
                        int bucket = position < 0 || position >= FeatureSpec.SLOTS ? FeatureSpec.SLOTS : position;
                        viewsBySlot[bucket] += slot.getDocCount();
                    }
                    doc.put(clickLiftField, FeatureSpec.clickStats(clicks, viewsBySlot));
                }
            }
            if (doc.isEmpty() == false) {
                // a product whose events are none of those counted (views outside lists, events after until) gets none
                updates.put(b.getKey().get("product").toString(), doc);
            }
        }
        return updates;
    }

    /** A per-product filter of the events up to the build's end. */
    private static QueryBuilder upTo(QueryBuilder events, QueryBuilder untilThen) {
        return QueryBuilders.boolQuery().filter(events).filter(untilThen);
    }

    /**
     * A product deleted since its events were logged is skipped; any other failure fails the build. A write the index
     * refuses (the field is mapped as something else) is the request's fault: a 400 naming the field.
     *
     * @return the ids of the products updated, each with whether its document changed (not a no-op)
     */
    private static Map<String, Boolean> update(
            Client client, String productsIndex, String fields, Map<String, Map<String, Object>> docsById) {
        BulkRequest bulk = new BulkRequest();
        docsById.forEach((id, doc) -> bulk.add(new UpdateRequest(productsIndex, id).doc(doc)));
        BulkResponse result = client.bulk(bulk).actionGet();
        Map<String, Boolean> updated = new LinkedHashMap<>();
        for (BulkItemResponse item : result.getItems()) {
            if (item.isFailed() == false) {
                updated.put(item.getId(), item.getResponse().getResult() != DocWriteResponse.Result.NOOP);
            } else if (ExceptionsHelper.unwrapCause(item.getFailure().getCause()) instanceof DocumentMissingException
                    == false) {
                String message =
                        "writing [" + fields + "] to [" + productsIndex + "] failed: " + item.getFailureMessage();
                if (item.getFailure().getStatus() == RestStatus.BAD_REQUEST) {
                    throw new IllegalArgumentException(message);
                }
                throw new IllegalStateException(message);
            }
        }
        return updated;
    }
}

package org.semanticranking.personalization;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.action.bulk.BulkItemResponse;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.update.UpdateRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.engine.DocumentMissingException;
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

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Writes statistics of every shopper's events into the product documents, so that the rescorer reads them from doc
 * values like any other product field: the popularity (clicks, carts and purchases) into the {@code popularity_field},
 * and the clicks in result lists against the clicks expected from the slots the product was shown in into the
 * {@code click_lift_field}. Partial updates (no ingest pipeline runs, the vector stays), recomputed in full by every
 * build that names the field, a page of products at a time (composite aggregation), so memory stays bounded.
 */
final class ProductStatsWriter {

    private ProductStatsWriter() {}

    static final List<String> POSITIVE_TYPES = Arrays.stream(InteractionType.values()).filter(InteractionType::positive).map(InteractionType::value).toList();

    /** @return how many products got a popularity */
    static long writePopularity(Client client, String interactionsIndex, String productsIndex, String field, long until, BooleanSupplier cancelled) {
        QueryBuilder positives = QueryBuilders.termsQuery(InteractionEvent.TYPE, POSITIVE_TYPES);
        return write(client, interactionsIndex, productsIndex, field, positives, List.of(), until, cancelled, b -> Map.of(field, b.getDocCount()));
    }

    /**
     * Per product, its clicks in impressions and the clicks its slots get on average ({@code rates}) summed over its
     * views: {@code {field: {clicks, expected}}}. Both are written, not their ratio, so training can leave out the
     * shopper's own events.
     *
     * @return how many products got click statistics
     */
    static long writeClickLift(
        Client client,
        String interactionsIndex,
        String productsIndex,
        String field,
        PositionClickRates rates,
        long until,
        BooleanSupplier cancelled
    ) {
        QueryBuilder shownOrClicked = QueryBuilders.boolQuery()
            .filter(QueryBuilders.existsQuery(InteractionEvent.IMPRESSION_ID))
            .filter(QueryBuilders.termsQuery(InteractionEvent.TYPE, InteractionType.VIEW.value(), InteractionType.CLICK.value()));
        List<AggregationBuilder> perProduct = List.of(
            AggregationBuilders.filter("clicks", QueryBuilders.termQuery(InteractionEvent.TYPE, InteractionType.CLICK.value())),
            AggregationBuilders.filter("views", QueryBuilders.termQuery(InteractionEvent.TYPE, InteractionType.VIEW.value()))
                .subAggregation(
                    AggregationBuilders.terms("slots").field(InteractionEvent.POSITION).size(PositionClickRates.MAX_POSITIONS).missing(-1)
                )
        );
        return write(client, interactionsIndex, productsIndex, field, shownOrClicked, perProduct, until, cancelled, b -> {
            Map<Integer, Long> viewsBySlot = new HashMap<>();
            SingleBucketAggregation views = b.getAggregations().get("views");
            for (Terms.Bucket slot : ((Terms) views.getAggregations().get("slots")).getBuckets()) {
                viewsBySlot.put(slot.getKeyAsNumber().intValue(), slot.getDocCount());
            }
            long clicks = ((SingleBucketAggregation) b.getAggregations().get("clicks")).getDocCount();
            return Map.of(field, Map.of(FeatureSpec.CLICKS, clicks, FeatureSpec.EXPECTED, rates.expectedClicksOfViews(viewsBySlot)));
        });
    }

    private static long write(
        Client client,
        String interactionsIndex,
        String productsIndex,
        String field,
        QueryBuilder events,
        List<AggregationBuilder> perProduct,
        long until,
        BooleanSupplier cancelled,
        Function<CompositeAggregation.Bucket, Map<String, Object>> doc
    ) {
        long written = 0;
        Map<String, Object> after = null;
        while (cancelled.getAsBoolean() == false) {
            CompositeAggregationBuilder products = new CompositeAggregationBuilder(
                "products",
                List.of(new TermsValuesSourceBuilder("product").field(InteractionEvent.PRODUCT_ID))
            ).size(1000);
            perProduct.forEach(products::subAggregation);
            if (after != null) {
                products.aggregateAfter(after);
            }
            SearchResponse response = client.search(
                new SearchRequest(interactionsIndex).source(
                    new SearchSourceBuilder().size(0)
                        .trackTotalHits(false)
                        .query(
                            QueryBuilders.boolQuery()
                                .filter(events)
                                .filter(QueryBuilders.rangeQuery(InteractionEvent.TIMESTAMP).lte(until).format("epoch_millis"))
                        )
                        .aggregation(products)
                )
            ).actionGet();
            Map<String, Map<String, Object>> updates = new LinkedHashMap<>();
            try {
                CompositeAggregation agg = response.getAggregations().get("products");
                for (CompositeAggregation.Bucket b : agg.getBuckets()) {
                    updates.put(b.getKey().get("product").toString(), doc.apply(b));
                }
                after = agg.afterKey();
            } finally {
                response.decRef();
            }
            if (updates.isEmpty()) {
                break;
            }
            written += update(client, productsIndex, field, updates);
            if (after == null) {
                break;
            }
        }
        client.admin().indices().prepareRefresh(productsIndex).get();
        return written;
    }

    /**
     * A product deleted since its events were logged is skipped; any other failure fails the build. A write the index
     * refuses (the field is mapped as something else) is the request's fault: a 400 naming the field.
     */
    private static long update(Client client, String productsIndex, String field, Map<String, Map<String, Object>> docsById) {
        BulkRequest bulk = new BulkRequest();
        docsById.forEach((id, doc) -> bulk.add(new UpdateRequest(productsIndex, id).doc(doc)));
        BulkResponse result = client.bulk(bulk).actionGet();
        long updated = 0;
        for (BulkItemResponse item : result.getItems()) {
            if (item.isFailed() == false) {
                updated++;
            } else if (ExceptionsHelper.unwrapCause(item.getFailure().getCause()) instanceof DocumentMissingException == false) {
                String message = "writing [" + field + "] to [" + productsIndex + "] failed: " + item.getFailureMessage();
                if (item.getFailure().getStatus() == RestStatus.BAD_REQUEST) {
                    throw new IllegalArgumentException(message);
                }
                throw new IllegalStateException(message);
            }
        }
        return updated;
    }
}

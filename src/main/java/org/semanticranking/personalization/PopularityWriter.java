package org.semanticranking.personalization;

import org.elasticsearch.action.bulk.BulkItemResponse;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.update.UpdateRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.engine.DocumentMissingException;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.aggregations.bucket.composite.CompositeAggregation;
import org.elasticsearch.search.aggregations.bucket.composite.CompositeAggregationBuilder;
import org.elasticsearch.search.aggregations.bucket.composite.TermsValuesSourceBuilder;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.ExceptionsHelper;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Writes each product's popularity, the number of clicks, carts and purchases it received, into a numeric
 * field of the product documents (partial updates: no ingest pipeline runs, the vector stays), so that the
 * rescorer reads it from doc values like any other product field. Recomputed in full by every build that
 * names a {@code popularity_field}, a page of products at a time (composite aggregation).
 */
final class PopularityWriter {

    private PopularityWriter() {}

    static final List<String> POSITIVE_TYPES = Arrays.stream(InteractionType.values()).filter(InteractionType::positive).map(InteractionType::value).toList();

    /** @return how many products got a popularity */
    static long write(Client client, String interactionsIndex, String productsIndex, String field, long until, BooleanSupplier cancelled) {
        long written = 0;
        Map<String, Object> after = null;
        while (cancelled.getAsBoolean() == false) {
            CompositeAggregationBuilder products = new CompositeAggregationBuilder(
                "products",
                List.of(new TermsValuesSourceBuilder("product").field(InteractionEvent.PRODUCT_ID))
            ).size(1000);
            if (after != null) {
                products.aggregateAfter(after);
            }
            SearchResponse response = client.search(
                new SearchRequest(interactionsIndex).source(
                    new SearchSourceBuilder().size(0)
                        .trackTotalHits(false)
                        .query(
                            QueryBuilders.boolQuery()
                                .filter(QueryBuilders.termsQuery(InteractionEvent.TYPE, POSITIVE_TYPES))
                                .filter(QueryBuilders.rangeQuery(InteractionEvent.TIMESTAMP).lte(until).format("epoch_millis"))
                        )
                        .aggregation(products)
                )
            ).actionGet();
            BulkRequest bulk = new BulkRequest();
            try {
                CompositeAggregation agg = response.getAggregations().get("products");
                for (CompositeAggregation.Bucket b : agg.getBuckets()) {
                    bulk.add(new UpdateRequest(productsIndex, b.getKey().get("product").toString()).doc(Map.of(field, b.getDocCount())));
                }
                after = agg.afterKey();
            } finally {
                response.decRef();
            }
            if (bulk.numberOfActions() == 0) {
                break;
            }
            BulkResponse result = client.bulk(bulk).actionGet();
            for (BulkItemResponse item : result.getItems()) {
                if (item.isFailed() == false) {
                    written++;
                } else if (ExceptionsHelper.unwrapCause(item.getFailure().getCause()) instanceof DocumentMissingException == false) {
                    throw new IllegalStateException("writing [" + field + "] to [" + productsIndex + "] failed: " + item.getFailureMessage());
                }
            }
            if (after == null) {
                break;
            }
        }
        client.admin().indices().prepareRefresh(productsIndex).get();
        return written;
    }
}

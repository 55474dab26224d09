package org.semanticranking.judgments.action;

import org.elasticsearch.core.Nullable;
import org.semanticranking.common.LocalIndicesRequest;

/**
 * A query's clicks for a search of the given product indices (which the caller must be allowed to read; the events
 * are then read as the caller too): the events index ({@code null}: the node's interactions index), the query as the
 * search got it, and how many slots and products count.
 */
public final class QueryClicksRequest extends LocalIndicesRequest {

    private final String eventsIndex;
    private final String query;
    private final int slots;
    private final int maxProducts;

    public QueryClicksRequest(
            String[] productIndices, @Nullable String eventsIndex, String query, int slots, int maxProducts) {
        super(productIndices);
        this.eventsIndex = eventsIndex;
        this.query = query;
        this.slots = slots;
        this.maxProducts = maxProducts;
    }

    @Nullable
    public String eventsIndex() {
        return eventsIndex;
    }

    public String query() {
        return query;
    }

    public int slots() {
        return slots;
    }

    public int maxProducts() {
        return maxProducts;
    }
}

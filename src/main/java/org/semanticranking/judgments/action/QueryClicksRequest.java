package org.semanticranking.judgments.action;

import org.elasticsearch.core.Nullable;
import org.semanticranking.common.LocalIndicesRequest;

/**
 * A query's clicks from an events index, which the caller must be allowed to read: the request names it, so that a
 * caller who may not read the events is refused before the node's cache answers. Without an index ({@code null}: the
 * node's interactions index, a dynamic setting) the request names the searched product indices, and the action asks
 * again with the index it resolved. Then the query as the search got it, and how many slots and products count.
 */
public final class QueryClicksRequest extends LocalIndicesRequest {

    private final String eventsIndex;
    private final String query;
    private final int slots;
    private final int maxProducts;

    public QueryClicksRequest(
            String[] productIndices, @Nullable String eventsIndex, String query, int slots, int maxProducts) {
        super(eventsIndex != null ? new String[] {eventsIndex} : productIndices);
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

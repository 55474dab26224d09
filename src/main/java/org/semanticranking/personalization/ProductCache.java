package org.semanticranking.personalization;

import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.client.internal.Client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Product signals by id for a build or training run, fetched in batches and kept in a bounded LRU map, so a
 * run over millions of events reads each popular product once and never holds the whole catalogue.
 */
public final class ProductCache {

    private static final int BATCH = 1000;
    private static final ProductSignals MISSING = new ProductSignals(null, Map.of(), Double.NaN, Double.NaN);

    private final Client client;
    private final String[] indices;
    private final FeatureSpec spec;
    private final Map<String, ProductSignals> cache;
    private long fetched;

    public ProductCache(Client client, String index, FeatureSpec spec, int maxEntries) {
        this(client, new String[] {index}, spec, maxEntries);
    }

    public ProductCache(Client client, String[] indices, FeatureSpec spec, int maxEntries) {
        this.client = client;
        this.indices = indices.clone();
        this.spec = spec;
        this.cache = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ProductSignals> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** Makes sure these products are loaded (blocking); call before {@link #get} for a batch of events. */
    public void load(Collection<String> ids) {
        Set<String> missing = new LinkedHashSet<>();
        for (String id : ids) {
            if (cache.containsKey(id) == false) {
                missing.add(id);
            }
        }
        List<String> batch = new ArrayList<>(BATCH);
        for (String id : missing) {
            batch.add(id);
            if (batch.size() == BATCH) {
                fetch(batch);
                batch.clear();
            }
        }
        if (batch.isEmpty() == false) {
            fetch(batch);
        }
    }

    private void fetch(List<String> ids) {
        SearchResponse response =
                client.search(ProductLookup.request(indices, ids, spec)).actionGet();
        try {
            Map<String, ProductSignals> found = ProductLookup.signals(response, spec);
            for (String id : ids) {
                cache.put(id, found.getOrDefault(id, MISSING));
            }
            fetched += ids.size();
        } finally {
            response.decRef();
        }
    }

    /** The product's signals, or {@code null} when the product is not in the index. */
    public ProductSignals get(String id) {
        ProductSignals p = cache.get(id);
        return p == MISSING ? null : p;
    }

    public long fetched() {
        return fetched;
    }
}

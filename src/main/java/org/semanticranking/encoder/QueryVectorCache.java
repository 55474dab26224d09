package org.semanticranking.encoder;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.SubscribableListener;
import org.elasticsearch.common.cache.Cache;
import org.elasticsearch.common.cache.CacheBuilder;

import java.text.Normalizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The node's LRU cache of query vectors, keyed by (model, text after normalisation), with in-flight
 * coalescing: identical queries that arrive while the first is being encoded wait for that one
 * encode instead of starting their own. Shoppers repeat queries a lot ("laptop", "usb cable").
 */
public final class QueryVectorCache {

    private record Key(String model, String text) {}

    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final Cache<Key, float[]> cache;
    private final Map<Key, SubscribableListener<float[]>> inFlight = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder coalesced = new LongAdder();

    public QueryVectorCache(int maxEntries) {
        // size 0 turns caching off; coalescing stays
        this.cache = maxEntries > 0
                ? CacheBuilder.<Key, float[]>builder()
                        .setMaximumWeight(maxEntries)
                        .build()
                : null;
    }

    /**
     * Normalisation that cannot change what the encoder sees in a way that matters: Unicode NFC,
     * trimmed, runs of whitespace as one space. Case is kept: not every tokenizer lowercases.
     */
    public static String normalize(String text) {
        return SPACES.matcher(Normalizer.normalize(text, Normalizer.Form.NFC).strip())
                .replaceAll(" ");
    }

    /**
     * Gets the vector of {@code text} from the cache, from an encode already under way, or by calling
     * {@code encode} (once). Cached arrays are shared: callers must not modify them.
     */
    public void get(
            String model,
            String text,
            BiConsumer<String, ActionListener<float[]>> encode,
            ActionListener<float[]> listener) {
        Key key = new Key(model, normalize(text));
        float[] cached = cache == null ? null : cache.get(key);
        if (cached != null) {
            hits.increment();
            listener.onResponse(cached);
            return;
        }
        SubscribableListener<float[]> mine = new SubscribableListener<>();
        SubscribableListener<float[]> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            coalesced.increment();
            running.addListener(listener);
            return;
        }
        misses.increment();
        mine.addListener(listener);
        ActionListener<float[]> done = ActionListener.wrap(
                vector -> {
                    if (cache != null) {
                        cache.put(key, vector);
                    }
                    inFlight.remove(key);
                    mine.onResponse(vector);
                },
                e -> {
                    inFlight.remove(key);
                    mine.onFailure(e);
                });
        try {
            encode.accept(key.text(), done);
        } catch (Exception e) {
            // refused before anything was queued (a tripped breaker, a full queue): the entry must not stay in
            // flight, or every later identical query would wait on it forever
            done.onFailure(e);
        }
    }

    public QueryCacheStats stats() {
        return new QueryCacheStats(cache == null ? 0 : cache.count(), hits.sum(), misses.sum(), coalesced.sum());
    }
}

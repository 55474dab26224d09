package org.semanticranking.common;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.SubscribableListener;
import org.elasticsearch.common.cache.Cache;
import org.elasticsearch.common.cache.CacheBuilder;
import org.elasticsearch.core.TimeValue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * A node's cache of values read asynchronously for searches (what a rewrite fetches), refreshed ahead of need: a value
 * older than {@code refresh} is still served, and its first caller after that starts one read in the background that
 * replaces it. Only a key with no value (never read, or unused for {@code expireAfterAccess}) waits for its read, and
 * the callers of a key being read wait for that one read. So the searches of a query asked every few minutes never
 * wait on what the value is read from, however large it grows, and a key is read at most once at a time.
 *
 * <p>A failed read fails the callers waiting for it and leaves any older value in place: the next caller reads again.
 */
public final class RefreshingCache<K, V> {

    private record Entry<V>(V value, long readAt) {}

    private final Cache<K, Entry<V>> values;
    private final Map<K, SubscribableListener<V>> inFlight = new ConcurrentHashMap<>();
    private final long refreshNanos;
    private final LongSupplier nanoTime;

    /**
     * @param refresh            how old a value may be before its next use reads it again (in the background)
     * @param expireAfterAccess  how long a value nobody asks for is kept
     * @param maxEntries         how many values are kept at most
     * @param nanoTime           the clock, {@link System#nanoTime} on a node
     */
    public RefreshingCache(TimeValue refresh, TimeValue expireAfterAccess, long maxEntries, LongSupplier nanoTime) {
        this.values = CacheBuilder.<K, Entry<V>>builder()
                .setExpireAfterAccess(expireAfterAccess)
                .setMaximumWeight(maxEntries)
                .build();
        this.refreshNanos = refresh.nanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Answers with the key's value: at once when there is one (reading it again in the background when it is older than
     * the refresh), otherwise once {@code read} (called at most once at a time per key) has read it.
     */
    public void get(K key, BiConsumer<K, ActionListener<V>> read, ActionListener<V> listener) {
        Entry<V> entry = values.get(key);
        if (entry == null) {
            read(key, read, listener);
            return;
        }
        if (nanoTime.getAsLong() - entry.readAt() >= refreshNanos) {
            read(key, read, ActionListener.noop());
        }
        listener.onResponse(entry.value());
    }

    /** How many values are kept. */
    public int count() {
        return values.count();
    }

    private void read(K key, BiConsumer<K, ActionListener<V>> read, ActionListener<V> listener) {
        SubscribableListener<V> mine = new SubscribableListener<>();
        SubscribableListener<V> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            running.addListener(listener);
            return;
        }
        mine.addListener(listener);
        long started = nanoTime.getAsLong();
        ActionListener<V> done = ActionListener.wrap(
                value -> {
                    values.put(key, new Entry<>(value, started));
                    inFlight.remove(key, mine);
                    mine.onResponse(value);
                },
                e -> {
                    inFlight.remove(key, mine);
                    mine.onFailure(e);
                });
        try {
            read.accept(key, done);
        } catch (Exception e) {
            // refused before anything started: the key must not stay in flight, or its callers would wait forever
            done.onFailure(e);
        }
    }
}

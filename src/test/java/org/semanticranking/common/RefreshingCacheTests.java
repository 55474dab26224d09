package org.semanticranking.common;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.PlainActionFuture;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.test.ESTestCase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

public class RefreshingCacheTests extends ESTestCase {

    private final AtomicLong now = new AtomicLong(randomLongBetween(0, 1L << 40));
    private final List<ActionListener<String>> reads = new ArrayList<>();
    private final BiConsumer<String, ActionListener<String>> read = (key, listener) -> reads.add(listener);

    private RefreshingCache<String, String> cache() {
        return new RefreshingCache<>(TimeValue.timeValueSeconds(60), TimeValue.timeValueHours(1), 100, now::get);
    }

    private static PlainActionFuture<String> future() {
        return new PlainActionFuture<>();
    }

    public void testTheFirstCallersWaitForOneRead() {
        RefreshingCache<String, String> cache = cache();
        PlainActionFuture<String> first = future(), second = future();
        cache.get("lamp", read, first);
        cache.get("lamp", read, second);
        assertEquals("one read for both callers", 1, reads.size());
        assertFalse(first.isDone());
        reads.get(0).onResponse("v1");
        assertEquals("v1", first.actionGet());
        assertEquals("v1", second.actionGet());
    }

    public void testAFreshValueIsServedWithoutReading() {
        RefreshingCache<String, String> cache = cache();
        cache.get("lamp", read, future());
        reads.get(0).onResponse("v1");
        now.addAndGet(TimeValue.timeValueSeconds(59).nanos());
        PlainActionFuture<String> again = future();
        cache.get("lamp", read, again);
        assertEquals("v1", again.actionGet());
        assertEquals(1, reads.size());
    }

    public void testAStaleValueIsServedAtOnceWhileOneReadReplacesIt() {
        RefreshingCache<String, String> cache = cache();
        cache.get("lamp", read, future());
        reads.get(0).onResponse("v1");
        now.addAndGet(TimeValue.timeValueSeconds(61).nanos());
        PlainActionFuture<String> stale = future(), staleToo = future();
        cache.get("lamp", read, stale);
        assertEquals("served without waiting for the new read", "v1", stale.actionGet());
        assertEquals("the stale value started a read", 2, reads.size());
        cache.get("lamp", read, staleToo);
        assertEquals("v1", staleToo.actionGet());
        assertEquals("one read at a time", 2, reads.size());
        reads.get(1).onResponse("v2");
        PlainActionFuture<String> after = future();
        cache.get("lamp", read, after);
        assertEquals("v2", after.actionGet());
        assertEquals("the new value is fresh", 2, reads.size());
    }

    public void testAFailedRefreshKeepsTheOldValueAndTheNextCallerReadsAgain() {
        RefreshingCache<String, String> cache = cache();
        cache.get("lamp", read, future());
        reads.get(0).onResponse("v1");
        now.addAndGet(TimeValue.timeValueMinutes(2).nanos());
        cache.get("lamp", read, future());
        reads.get(1).onFailure(new IllegalStateException("events index closed"));
        PlainActionFuture<String> next = future();
        cache.get("lamp", read, next);
        assertEquals("v1", next.actionGet());
        assertEquals("the failed read is tried again", 3, reads.size());
    }

    public void testAFailedFirstReadFailsItsCallersAndIsNotKept() {
        RefreshingCache<String, String> cache = cache();
        PlainActionFuture<String> first = future(), second = future();
        cache.get("lamp", read, first);
        cache.get("lamp", read, second);
        reads.get(0).onFailure(new IllegalStateException("no shard available"));
        expectThrows(IllegalStateException.class, first::actionGet);
        expectThrows(IllegalStateException.class, second::actionGet);
        PlainActionFuture<String> retry = future();
        cache.get("lamp", read, retry);
        assertEquals(2, reads.size());
        reads.get(1).onResponse("v1");
        assertEquals("v1", retry.actionGet());
        assertEquals(1, cache.count());
    }

    public void testAReadRefusedBeforeItStartsDoesNotStayInFlight() {
        RefreshingCache<String, String> cache = cache();
        PlainActionFuture<String> refused = future();
        cache.get(
                "lamp",
                (key, listener) -> {
                    throw new IllegalArgumentException("refused");
                },
                refused);
        expectThrows(IllegalArgumentException.class, refused::actionGet);
        PlainActionFuture<String> next = future();
        cache.get("lamp", read, next);
        assertEquals("a new read, not a wait on the refused one", 1, reads.size());
        reads.get(0).onResponse("v1");
        assertEquals("v1", next.actionGet());
    }

    public void testKeysAreReadApart() {
        RefreshingCache<String, String> cache = cache();
        PlainActionFuture<String> lamp = future(), sofa = future();
        cache.get("lamp", read, lamp);
        cache.get("sofa", read, sofa);
        assertEquals(2, reads.size());
        reads.get(1).onResponse("sofa-v1");
        reads.get(0).onResponse("lamp-v1");
        assertEquals("lamp-v1", lamp.actionGet());
        assertEquals("sofa-v1", sofa.actionGet());
    }
}

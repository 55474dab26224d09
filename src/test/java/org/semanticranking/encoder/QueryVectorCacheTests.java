package org.semanticranking.encoder;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.PlainActionFuture;
import org.elasticsearch.test.ESTestCase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import static org.hamcrest.Matchers.equalTo;

public class QueryVectorCacheTests extends ESTestCase {

    /** An encoder that answers only when told to, so that callers can pile up meanwhile. */
    private static final class ManualEncoder implements BiConsumer<String, ActionListener<float[]>> {
        final AtomicInteger calls = new AtomicInteger();
        final List<ActionListener<float[]>> pending = new ArrayList<>();

        @Override
        public void accept(String text, ActionListener<float[]> listener) {
            calls.incrementAndGet();
            pending.add(listener);
        }
    }

    public void testIdenticalQueriesInFlightCauseOneEncode() {
        QueryVectorCache cache = new QueryVectorCache(100);
        ManualEncoder encoder = new ManualEncoder();
        List<PlainActionFuture<float[]>> callers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PlainActionFuture<float[]> f = new PlainActionFuture<>();
            cache.get("m", i % 2 == 0 ? "usb  fan" : " usb fan ", encoder, f);
            callers.add(f);
        }
        assertEquals(1, encoder.calls.get());
        float[] vector = {1, 2};
        encoder.pending.get(0).onResponse(vector);
        for (PlainActionFuture<float[]> f : callers) {
            assertSame(vector, f.actionGet());
        }
        QueryCacheStats stats = cache.stats();
        assertEquals(1, stats.misses());
        assertEquals(4, stats.coalesced());
        assertEquals(1, stats.size());

        PlainActionFuture<float[]> later = new PlainActionFuture<>();
        cache.get("m", "usb fan", encoder, later);
        assertSame(vector, later.actionGet());
        assertEquals(1, encoder.calls.get());
        assertEquals(1, cache.stats().hits());
    }

    public void testTheModelIsPartOfTheKeyAndFailuresAreNotCached() {
        QueryVectorCache cache = new QueryVectorCache(100);
        ManualEncoder encoder = new ManualEncoder();
        PlainActionFuture<float[]> a = new PlainActionFuture<>();
        PlainActionFuture<float[]> b = new PlainActionFuture<>();
        cache.get("m1", "tv", encoder, a);
        cache.get("m2", "tv", encoder, b);
        assertEquals(2, encoder.calls.get());
        encoder.pending.get(0).onFailure(new IllegalStateException("boom"));
        expectThrows(IllegalStateException.class, a::actionGet);
        PlainActionFuture<float[]> again = new PlainActionFuture<>();
        cache.get("m1", "tv", encoder, again);
        assertEquals("a failure is not cached: the next caller encodes again", 3, encoder.calls.get());
    }

    public void testSizeZeroTurnsCachingOff() {
        QueryVectorCache cache = new QueryVectorCache(0);
        ManualEncoder encoder = new ManualEncoder();
        PlainActionFuture<float[]> a = new PlainActionFuture<>();
        cache.get("m", "tv", encoder, a);
        encoder.pending.get(0).onResponse(new float[] {1});
        a.actionGet();
        cache.get("m", "tv", encoder, new PlainActionFuture<>());
        assertEquals(2, encoder.calls.get());
    }

    public void testNormalisationKeepsCase() {
        assertEquals("USB fan", QueryVectorCache.normalize("  USB \t fan\n"));
    }

    /**
     * An encode refused at submission (the encoder's breaker throws before anything is queued) fails its caller and
     * leaves nothing in flight: the next identical query is encoded afresh instead of waiting forever on the refused one.
     */
    public void testAnEncodeRefusedAtSubmissionLeavesNothingInFlight() throws Exception {
        QueryVectorCache cache = new QueryVectorCache(100);
        AtomicInteger calls = new AtomicInteger();
        BiConsumer<String, ActionListener<float[]>> refusesOnce = (text, listener) -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("breaker tripped");
            }
            listener.onResponse(new float[] {3, 4});
        };
        PlainActionFuture<float[]> refused = new PlainActionFuture<>();
        cache.get("m", "usb fan", refusesOnce, refused);
        assertEquals(
                "breaker tripped",
                expectThrows(IllegalStateException.class, refused::actionGet).getMessage());

        PlainActionFuture<float[]> again = new PlainActionFuture<>();
        cache.get("m", "usb fan", refusesOnce, again);
        assertTrue("the second query must not wait on the refused encode", again.isDone());
        // exact, as JUnit 5's assertEquals(float, float) was (JUnit 4 has no float comparison without a delta)
        assertThat(again.actionGet()[0], equalTo(3f));
        assertEquals(2, calls.get());
        assertEquals(0, cache.stats().coalesced());
    }
}

package org.semanticranking.judgments;

import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.test.AbstractWireSerializingTestCase;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One query's clicks per product: the counts its rows give (COEC's expected clicks), their wire round trip, and a
 * shopper's own counts taken out.
 */
public class QueryClicksTests extends AbstractWireSerializingTestCase<QueryClicks> {

    @Override
    protected Writeable.Reader<QueryClicks> instanceReader() {
        return QueryClicks::new;
    }

    @Override
    protected QueryClicks createTestInstance() {
        Map<String, QueryClicks.Counts> counts = new HashMap<>();
        for (int i = randomIntBetween(0, 5); i > 0; i--) {
            counts.put(
                    randomAlphaOfLength(6),
                    new QueryClicks.Counts(
                            randomIntBetween(0, 20), randomDoubleBetween(0, 10, true), randomIntBetween(1, 200)));
        }
        return new QueryClicks(counts);
    }

    @Override
    protected QueryClicks mutateInstance(QueryClicks instance) {
        Map<String, QueryClicks.Counts> counts = new HashMap<>(instance.byProduct());
        counts.put(randomAlphaOfLength(7), new QueryClicks.Counts(1, 1, 1));
        return new QueryClicks(counts);
    }

    public void testTheCountsAreCoecsClicksAndExpectedClicks() {
        // slot 1: 4 shown, 2 clicked (ctr 0.5); slot 2: 4 shown, 1 clicked (ctr 0.25), as Coec's own test
        List<ShownCounts> rows = List.of(
                new ShownCounts(new Shown.Pair("q", "a"), 1, 2, 2, 2),
                new ShownCounts(new Shown.Pair("q", "b"), 1, 2, 0, 0),
                new ShownCounts(new Shown.Pair("q", "b"), 2, 2, 1, 1),
                new ShownCounts(new Shown.Pair("q", "a"), 2, 1, 0, 0),
                new ShownCounts(new Shown.Pair("q", "c"), 2, 1, 0, 0));
        double[] ctr = Coec.clickThroughRates(rows, 2);
        QueryClicks clicks = QueryClicks.of(rows, ctr);
        Map<Shown.Pair, Double> coec = Coec.compute(rows, 2, 1);
        for (String id : List.of("a", "b", "c")) {
            QueryClicks.Counts c = clicks.byProduct().get(id);
            assertEquals(id, coec.get(new Shown.Pair("q", id)), c.clicked() / c.expected(), 1e-9);
            // with a prior, a product with no evidence reads 1 and a thin one is pulled towards it
            assertEquals((c.clicked() + 2) / (c.expected() + 2), c.coec(2), 1e-12);
        }
        assertEquals(3, clicks.byProduct().get("a").shown(), 0);
        assertEquals(1.0, new QueryClicks.Counts(0, 0, 0).coec(1), 0);
        // a row below the slots read is left out, as COEC leaves it
        QueryClicks oneSlot = QueryClicks.of(rows, new double[] {ctr[0]});
        assertNull(oneSlot.byProduct().get("c"));
        assertEquals(2, oneSlot.byProduct().get("a").shown(), 0);
    }

    public void testAShoppersOwnCountsAreTakenOut() {
        QueryClicks all = new QueryClicks(Map.of(
                "a", new QueryClicks.Counts(5, 3, 20),
                "b", new QueryClicks.Counts(1, 0.5, 2)));
        QueryClicks own = new QueryClicks(Map.of(
                "a", new QueryClicks.Counts(2, 1, 5),
                "b", new QueryClicks.Counts(1, 0.5, 2),
                "z", new QueryClicks.Counts(1, 1, 1)));
        QueryClicks rest = all.minus(own);
        assertEquals(new QueryClicks.Counts(3, 2, 15), rest.byProduct().get("a"));
        assertNull(
                "shown to this shopper only: no one else's evidence",
                rest.byProduct().get("b"));
        assertNull("never in the table", rest.byProduct().get("z"));
        assertSame(all, all.minus(QueryClicks.EMPTY));
    }
}

package org.semanticranking.judgments;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one query's logged impressions say of each product shown for it: the impressions in which it was clicked (a
 * click, cart or purchase), the clicks its slots lead one to expect (each slot's click-through over every query's
 * impressions, summed over the times it was shown there) and how often it was shown. A ranker reads clicks over
 * expected clicks from it ({@code clicks} features); a training subtracts each shopper's own impressions from it so that
 * no impression's label is among its features.
 */
public record QueryClicks(Map<String, Counts> byProduct) implements Writeable {

    public static final QueryClicks EMPTY = new QueryClicks(Map.of());

    /** One product's counts for the query; never negative. */
    public record Counts(double clicked, double expected, double shown) {
        public Counts {
            clicked = Math.max(0, clicked);
            expected = Math.max(0, expected);
            shown = Math.max(0, shown);
        }

        /**
         * Clicks over expected clicks with {@code prior} expected clicks of evidence that the product is as clicked as
         * its slots predict: 1 with no evidence, and a product shown twice does not swing as one shown a thousand times.
         */
        public double coec(double prior) {
            return (clicked + prior) / (expected + prior);
        }
    }

    public QueryClicks {
        byProduct = Map.copyOf(byProduct);
    }

    public QueryClicks(StreamInput in) throws IOException {
        this(in.readMap(i -> new Counts(i.readDouble(), i.readDouble(), i.readDouble())));
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeMap(new TreeMap<>(byProduct), (o, c) -> {
            o.writeDouble(c.clicked());
            o.writeDouble(c.expected());
            o.writeDouble(c.shown());
        });
    }

    /**
     * Each product's counts from its rows (one query's, each a slot), with each slot's click-through rate over all the
     * logs; rows below {@code ctr.length} slots are left out, as COEC leaves them.
     */
    public static QueryClicks of(List<ShownCounts> rows, double[] ctr) {
        Map<String, double[]> sums = new HashMap<>();
        for (ShownCounts row : rows) {
            if (row.slot() <= ctr.length) {
                double[] s = sums.computeIfAbsent(row.pair().productId(), p -> new double[3]);
                s[0] += row.clicked();
                s[1] += row.shown() * ctr[row.slot() - 1];
                s[2] += row.shown();
            }
        }
        Map<String, Counts> counts = new HashMap<>();
        sums.forEach((id, s) -> counts.put(id, new Counts(s[0], s[1], s[2])));
        return new QueryClicks(counts);
    }

    /** Each query's clicks per product from the rows of many queries ({@link #of} per query). */
    public static Map<String, QueryClicks> byQuery(List<ShownCounts> rows, double[] ctr) {
        Map<String, List<ShownCounts>> grouped = new HashMap<>();
        for (ShownCounts row : rows) {
            grouped.computeIfAbsent(row.pair().query(), q -> new java.util.ArrayList<>())
                    .add(row);
        }
        Map<String, QueryClicks> byQuery = new HashMap<>();
        grouped.forEach((query, list) -> byQuery.put(query, of(list, ctr)));
        return byQuery;
    }

    /** These counts without {@code own}'s (a shopper's own impressions of the query); products left with none drop. */
    public QueryClicks minus(QueryClicks own) {
        if (own.byProduct.isEmpty()) {
            return this;
        }
        Map<String, Counts> out = new HashMap<>(byProduct);
        own.byProduct.forEach((id, c) -> {
            Counts all = out.get(id);
            if (all != null) {
                Counts left = new Counts(all.clicked - c.clicked, all.expected - c.expected, all.shown - c.shown);
                if (left.shown() < 0.5) {
                    out.remove(id);
                } else {
                    out.put(id, left);
                }
            }
        });
        return new QueryClicks(out);
    }
}

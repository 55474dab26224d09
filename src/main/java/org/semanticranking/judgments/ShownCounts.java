package org.semanticranking.judgments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How often one (query, product) pair was shown in one slot, and in how many of those impressions it was clicked: what
 * the logs say once aggregated, the form the click models are fitted on (an events index aggregates to this without
 * holding its events in memory).
 *
 * @param slot     1 is the top slot
 * @param shown    impressions of the pair in this slot
 * @param clicked  of those, the impressions with a click (or a cart or a purchase) on it; at most {@code shown}
 * @param weighted the interactions of those impressions weighed as profiles weigh them, over the weight of a click:
 *                 {@code clicked} when every interaction was a single click, more when they led to carts and purchases
 */
public record ShownCounts(Shown.Pair pair, int slot, long shown, long clicked, double weighted) {

    public ShownCounts {
        if (slot < 1) {
            throw new IllegalArgumentException("[slot] must be 1 or more but was [" + slot + "]");
        }
        if (shown < 0 || clicked < 0 || clicked > shown) {
            throw new IllegalArgumentException(
                    "a pair's clicks must be between 0 and its impressions but were " + clicked + " of " + shown);
        }
    }

    /** The rows aggregated by pair and slot, each click weighing 1. */
    public static List<ShownCounts> of(List<Shown> rows) {
        Map<Shown.Pair, Map<Integer, long[]>> counts = new LinkedHashMap<>();
        for (Shown row : rows) {
            long[] c = counts.computeIfAbsent(row.pair(), p -> new LinkedHashMap<>())
                    .computeIfAbsent(row.position(), k -> new long[2]);
            c[0]++;
            if (row.clicked()) {
                c[1]++;
            }
        }
        List<ShownCounts> out = new ArrayList<>();
        counts.forEach(
                (pair, slots) -> slots.forEach((slot, c) -> out.add(new ShownCounts(pair, slot, c[0], c[1], c[1]))));
        return out;
    }
}

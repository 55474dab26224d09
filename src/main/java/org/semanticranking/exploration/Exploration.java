package org.semanticranking.exploration;

import org.elasticsearch.cluster.routing.Murmur3HashFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which products a page shows when it explores. A deterministic page (the first stage's top results, every time) gives
 * the clicks nothing to say of the products just below it: they are never shown, so no ranker learned from those clicks
 * can tell a relevant one from the rest. Exploring, the page's last {@code slots} slots show products drawn uniformly,
 * without replacement, from the ranking's results at and below those slots (the pool), in the order drawn; the rest of
 * the pool follows in its own order. Every product of the pool is then equally likely to be shown in each exploration
 * slot, which is what lets the clicks on those slots compare the products of the pool with one another (Joachims et al.,
 * WSDM 2017, randomise a part of the ranking for the same reason). A share {@code rate} of the impressions explores;
 * the others show the ranking as it is. The coins come from the seed (an impression id), so the same impression always
 * shows the same page, on every node and in every client.
 */
public final class Exploration {

    /** What the page shows at one rank: the result's rank in the ranking explored (0-based) and whether it was drawn. */
    public record Shown(int rank, boolean explored) {}

    private Exploration() {}

    /** The coins of a seed given as text (an impression id): the same on every node and in every client. */
    public static long seed(String text) {
        return Murmur3HashFunction.hash(text);
    }

    /**
     * The order in which a ranking of {@code size} results is shown: element {@code i} is what is shown at rank
     * {@code i}. {@code slots} of a page of {@code pageSize} explore in a share {@code rate} of the seeds; nothing
     * moves when the pool holds no more results than the exploration slots.
     */
    public static List<Shown> order(int size, int pageSize, int slots, double rate, long seed) {
        SplittableRandom coins = new SplittableRandom(seed);
        int first = Math.max(0, Math.min(pageSize, size) - slots);
        int drawn = Math.min(pageSize, size) - first;
        List<Shown> out = new ArrayList<>(size);
        boolean explores = coins.nextDouble() < rate && size - first > drawn && drawn > 0;
        if (explores == false) {
            for (int i = 0; i < size; i++) {
                out.add(new Shown(i, false));
            }
            return out;
        }
        for (int i = 0; i < first; i++) {
            out.add(new Shown(i, false));
        }
        // a partial Fisher-Yates shuffle of the pool: its first `drawn` places are a uniform draw without replacement
        int[] pool = new int[size - first];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = first + i;
        }
        for (int i = 0; i < drawn; i++) {
            int j = i + coins.nextInt(pool.length - i);
            int swap = pool[i];
            pool[i] = pool[j];
            pool[j] = swap;
            out.add(new Shown(pool[i], true));
        }
        boolean[] shown = new boolean[size];
        out.forEach(s -> shown[s.rank()] = true);
        for (int i = first; i < size; i++) {
            if (shown[i] == false) {
                out.add(new Shown(i, false));
            }
        }
        return out;
    }
}

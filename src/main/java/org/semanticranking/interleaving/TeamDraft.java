package org.semanticranking.interleaving;

import org.elasticsearch.cluster.routing.Murmur3HashFunction;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Team-draft interleaving (Radlinski, Kurup and Joachims, CIKM 2008): two rankings pick in turns, like captains
 * choosing teams, each its best result not yet picked; whichever team has fewer picks goes next, a coin decides when
 * they have as many. Each result shown belongs to the team that picked it, and a click on it is a vote for that
 * ranking. The coins come from the seed, so the same seed (an impression id) always gives the same list.
 *
 * <p>Where the two rankings begin with the same results in the same order, the draft shows that common prefix as it
 * is, and whichever team the coins give each of its results, a click there says nothing about which ranking is better:
 * it is noise in the comparison, as large as the prefix is common. Those results are marked {@link #BOTH} and credit
 * neither side (the preference's expectation is unchanged; its variance drops).
 */
public final class TeamDraft {

    /** Side 0 is {@code a}, side 1 is {@code b}. */
    public static final int A = 0, B = 1;
    /** A result of the two lists' common prefix: both rankings put it there, a click on it prefers neither. */
    public static final int BOTH = 2;

    /** A result shown and who picked it: {@link #A}, {@link #B}, or {@link #BOTH} in the lists' common prefix. */
    public record Pick<K>(K key, int side) {}

    private TeamDraft() {}

    /** The coins of a seed given as text (an impression id): the same on every node and in every client. */
    public static long seed(String text) {
        return Murmur3HashFunction.hash(text);
    }

    /** At most {@code size} results, interleaved from {@code a} and {@code b} (keys identify a result in both). */
    public static <K> List<Pick<K>> interleave(List<K> a, List<K> b, int size, long seed) {
        SplittableRandom coins = new SplittableRandom(seed);
        List<Pick<K>> out = new ArrayList<>();
        int common = 0;
        while (common < a.size() && common < b.size() && a.get(common).equals(b.get(common))) {
            common++;
        }
        Set<K> taken = new HashSet<>();
        int[] next = {0, 0};
        int[] team = {0, 0};
        List<List<K>> sides = List.of(a, b);
        while (out.size() < size) {
            skipTaken(sides.get(0), next, 0, taken);
            skipTaken(sides.get(1), next, 1, taken);
            boolean aLeft = next[0] < a.size(), bLeft = next[1] < b.size();
            if (aLeft == false && bLeft == false) {
                break;
            }
            int side;
            if (aLeft == false) {
                side = 1;
            } else if (bLeft == false) {
                side = 0;
            } else if (team[0] != team[1]) {
                side = team[0] < team[1] ? 0 : 1;
            } else {
                side = coins.nextBoolean() ? 0 : 1;
            }
            K key = sides.get(side).get(next[side]++);
            taken.add(key);
            team[side]++;
            out.add(new Pick<>(key, out.size() < common ? BOTH : side));
        }
        return out;
    }

    private static <K> void skipTaken(List<K> ranking, int[] next, int side, Set<K> taken) {
        while (next[side] < ranking.size() && taken.contains(ranking.get(next[side]))) {
            next[side]++;
        }
    }
}

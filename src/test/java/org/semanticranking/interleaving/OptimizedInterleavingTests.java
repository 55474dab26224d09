package org.semanticranking.interleaving;

import org.elasticsearch.test.ESTestCase;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

public class OptimizedInterleavingTests extends ESTestCase {

    /** Two top-10 lists from a pool of 30 that share {@code overlap} results, in random orders. */
    private static List<List<Integer>> pair(Random r, int overlap) {
        List<Integer> pool = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            pool.add(i);
        }
        Collections.shuffle(pool, r);
        List<Integer> a = new ArrayList<>(pool.subList(0, 10));
        List<Integer> b = new ArrayList<>(a.subList(0, overlap));
        b.addAll(pool.subList(10, 20 - overlap));
        Collections.shuffle(b, r);
        return List.of(a, b);
    }

    public void testEveryListIsMadeOfAPrefixOfEachRanking() {
        Random r = new Random(randomLong());
        for (int it = 0; it < 10; it++) {
            List<List<Integer>> ab = pair(r, randomIntBetween(0, 10));
            List<Integer> a = ab.get(0), b = ab.get(1);
            OptimizedInterleaving.Plan<Integer> plan =
                    OptimizedInterleaving.plan(a, b, 10, OptimizedInterleaving.Credit.INVERSE_RANK);
            assertEquals(plan.lists().size(), new HashSet<>(plan.lists()).size());
            for (List<Integer> list : plan.lists()) {
                assertEquals(10, list.size());
                assertEquals(10, new HashSet<>(list).size());
                for (int k = 1; k <= list.size(); k++) {
                    Set<Integer> prefix = new HashSet<>(list.subList(0, k));
                    boolean madeOfPrefixes = false;
                    for (int i = 0; i <= k && madeOfPrefixes == false; i++) {
                        Set<Integer> union = new HashSet<>(a.subList(0, Math.min(i, a.size())));
                        for (int j = 0; j <= k && madeOfPrefixes == false; j++) {
                            Set<Integer> u = new HashSet<>(union);
                            u.addAll(b.subList(0, j));
                            madeOfPrefixes = u.equals(prefix);
                        }
                    }
                    assertTrue("prefix " + prefix + " of " + list + " from " + a + " and " + b, madeOfPrefixes);
                }
            }
            double total = 0;
            for (double p : plan.probabilities()) {
                assertThat(p, greaterThan(-1e-12));
                total += p;
            }
            assertThat(total, closeTo(1, 1e-9));
        }
    }

    /** Shoppers who click at random, each slot down to a depth of their own, prefer neither ranking. */
    public void testRandomClicksPreferNeitherRanking() {
        Random r = new Random(randomLong());
        for (int overlap : new int[] {0, 5, 9}) {
            List<List<Integer>> ab = pair(r, overlap);
            OptimizedInterleaving.Plan<Integer> plan = OptimizedInterleaving.plan(
                    ab.get(0),
                    ab.get(1),
                    10,
                    randomFrom(OptimizedInterleaving.Credit.values()),
                    randomFrom(OptimizedInterleaving.Objective.values()));
            assertThat(plan.bias(), lessThan(1e-9));
            int n = 20_000;
            double sum = 0, sumSquares = 0;
            for (int i = 0; i < n; i++) {
                OptimizedInterleaving.Page<Integer> page = plan.draw(r.nextLong());
                int depth = 1 + r.nextInt(10);
                double credit = 0;
                for (int k = 0; k < depth; k++) {
                    credit += r.nextDouble() < 0.3 ? page.credits()[k] : 0;
                }
                sum += credit;
                sumSquares += credit * credit;
            }
            double mean = sum / n;
            double se = Math.sqrt((sumSquares / n - mean * mean) / n);
            assertThat(se, greaterThan(0.0));
            assertThat("overlap " + overlap, Math.abs(mean), lessThan(4.5 * se));
        }
    }

    /** The same pair with the first slot's products swapped is biased: the test above can fail. */
    public void testTheFirstSlotAloneWouldFavourA() {
        List<Integer> a = List.of(1, 2, 3), b = List.of(4, 5, 6);
        OptimizedInterleaving.Plan<Integer> plan =
                OptimizedInterleaving.plan(a, b, 3, OptimizedInterleaving.Credit.INVERSE_RANK);
        double firstA = 0;
        for (int i = 0; i < plan.lists().size(); i++) {
            firstA += plan.lists().get(i).get(0) == 1 ? plan.probabilities()[i] : 0;
        }
        // a's first result and b's each open the page half the time: the only way slot 1 is unbiased
        assertThat(firstA, closeTo(0.5, 1e-9));
    }

    public void testARankingThatPlacesTheOnlyClickedResultHigherIsCredited() {
        List<Integer> b = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        List<Integer> a = new ArrayList<>(b);
        int relevant = randomIntBetween(3, 9);
        a.remove(Integer.valueOf(relevant));
        a.add(randomIntBetween(0, relevant - 1), relevant);
        OptimizedInterleaving.Plan<Integer> plan =
                OptimizedInterleaving.plan(a, b, 10, OptimizedInterleaving.Credit.INVERSE_RANK);
        for (int i = 0; i < plan.lists().size(); i++) {
            List<Integer> list = plan.lists().get(i);
            int slot = list.indexOf(relevant);
            if (slot >= 0) {
                assertThat(plan.credits().get(i)[slot], greaterThan(0.0));
            }
        }
    }

    public void testTheSameSeedShowsTheSamePageAndSeedsVary() {
        List<List<Integer>> ab = pair(new Random(randomLong()), 3);
        OptimizedInterleaving.Plan<Integer> plan =
                OptimizedInterleaving.plan(ab.get(0), ab.get(1), 10, OptimizedInterleaving.Credit.INVERSE_RANK);
        long seed = randomLong();
        assertEquals(plan.draw(seed).keys(), plan.draw(seed).keys());
        assertEquals(
                plan.draw(seed).keys(),
                OptimizedInterleaving.interleave(
                                ab.get(0), ab.get(1), 10, seed, OptimizedInterleaving.Credit.INVERSE_RANK)
                        .keys());
        Set<List<Integer>> pages = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            pages.add(plan.draw(randomLong()).keys());
        }
        assertThat(pages.size(), greaterThan(1));
    }

    /** A ranking that found fewer results than the page cannot be shown unbiased: the other's extra results credit it. */
    public void testAShorterRankingLeavesABiasThePlanReports() {
        List<Integer> a = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), b = List.of(1, 2, 3);
        OptimizedInterleaving.Plan<Integer> plan =
                OptimizedInterleaving.plan(a, b, 10, OptimizedInterleaving.Credit.INVERSE_RANK);
        assertEquals(List.of(a), plan.lists());
        double[] credits = plan.credits().get(0);
        for (int k = 0; k < 3; k++) {
            assertEquals(0, credits[k], 0);
        }
        for (int k = 3; k < 10; k++) {
            // ranked k + 1 by a, below the page (11) by b
            assertThat(credits[k], closeTo(1.0 / (k + 1) - 1.0 / 11, 1e-12));
        }
        assertThat(plan.bias(), closeTo(1.0 / 4 - 1.0 / 11, 1e-12));
    }

    /** Any two rankings, of any lengths up to the page, empty ones too: a plan whose probabilities sum to one. */
    public void testEveryPairOfRankingsHasAPlan() {
        Random r = new Random(randomLong());
        for (int it = 0; it < 100; it++) {
            List<Integer> pool = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                pool.add(i);
            }
            Collections.shuffle(pool, r);
            List<Integer> a = new ArrayList<>(pool.subList(0, r.nextInt(11)));
            int from = r.nextInt(8);
            List<Integer> b = new ArrayList<>(pool.subList(from, from + r.nextInt(11)));
            Collections.shuffle(b, r);
            int size = 1 + r.nextInt(10);
            OptimizedInterleaving.Plan<Integer> plan = OptimizedInterleaving.plan(
                    a,
                    b,
                    size,
                    randomFrom(OptimizedInterleaving.Credit.values()),
                    randomFrom(OptimizedInterleaving.Objective.values()));
            double total = 0;
            for (double p : plan.probabilities()) {
                total += p;
            }
            assertThat(a + " " + b, total, closeTo(1, 1e-9));
            OptimizedInterleaving.Page<Integer> page = plan.draw(r.nextLong());
            Set<Integer> union = new HashSet<>(a);
            union.addAll(b);
            assertEquals(Math.min(size, union.size()), page.keys().size());
        }
    }

    public void testIdenticalRankingsShowTheirListAndCreditNeither() {
        List<Integer> a = List.of(4, 2, 7, 1);
        OptimizedInterleaving.Plan<Integer> plan =
                OptimizedInterleaving.plan(a, a, 10, OptimizedInterleaving.Credit.INVERSE_RANK);
        assertEquals(List.of(a), plan.lists());
        for (double c : plan.credits().get(0)) {
            assertEquals(0, c, 0);
        }
    }
}

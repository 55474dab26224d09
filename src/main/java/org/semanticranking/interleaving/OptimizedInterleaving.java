package org.semanticranking.interleaving;

import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Optimized interleaving (Radlinski and Craswell, WSDM 2013): of the lists whose every prefix is made of a prefix of
 * {@code a} and a prefix of {@code b}, show one drawn from the distribution that makes the credit unbiased when clicks
 * are random, and among those the most informative.
 *
 * <p>Why not team draft alone: with team draft a click's credit goes to whichever team the coins let pick the result,
 * and two rankings that hold products of the same worth in every slot can still be told apart, given enough
 * impressions (benchmarks/README.md, stop 26: p below 1e-7 over 400,000 impressions). Here the credit of a result is
 * a property of the two rankings, not of the coins: it goes to the ranking that places the result higher, by how much
 * ({@link Credit}), so "side" keeps a meaning in the events and {@code interleaving/_results} sums the credits.
 *
 * <p>The distribution is a linear program over the allowed lists (at most {@code 2^size} of them): the probabilities
 * sum to one; in every slot the expected credit is zero (so a shopper who clicks at random, at any depth, prefers
 * neither side); and the objective is the expected informativeness of the list under a click prior of {@code 1/rank}.
 * Where no distribution makes every slot unbiased, the slots' bias is kept as small as it can be (a penalty far above
 * the objective) and reported by {@link Plan#bias}: it happens where one ranking returns fewer results than the page,
 * whose other results then all credit the longer one (a shopper who clicks them had nothing from the shorter).
 */
public final class OptimizedInterleaving {

    /**
     * What a click on a result says for {@code a} (positive) or {@code b} (negative). A result missing from a list
     * ranks just below the page ({@code size + 1}), also when the list is shorter than the page: a ranking that found
     * fewer results did not rank the other's deeper ones above anything.
     */
    public enum Credit {
        /** {@code 1 / rank in a - 1 / rank in b}. */
        INVERSE_RANK,
        /** {@code rank in b - rank in a}. */
        RANK_DIFFERENCE;

        double of(int rankA, int rankB) {
            return switch (this) {
                case INVERSE_RANK -> 1.0 / rankA - 1.0 / rankB;
                case RANK_DIFFERENCE -> rankB - rankA;
            };
        }
    }

    /** The page shown and each slot's credit for {@code a}. */
    public record Page<K>(List<K> keys, double[] credits) {}

    /** The lists allowed, the probability of each, and the largest expected credit left in a slot (0 when unbiased). */
    public record Plan<K>(List<List<K>> lists, List<double[]> credits, double[] probabilities, double bias) {

        /** The list a seed draws. */
        public Page<K> draw(long seed) {
            double u = new SplittableRandom(seed).nextDouble();
            double cumulative = 0;
            int last = 0;
            for (int i = 0; i < probabilities.length; i++) {
                if (probabilities[i] <= 0) {
                    continue;
                }
                last = i;
                cumulative += probabilities[i];
                if (u < cumulative) {
                    return new Page<>(lists.get(i), credits.get(i));
                }
            }
            return new Page<>(lists.get(last), credits.get(last));
        }
    }

    /**
     * The credit {@code interleave} uses. Of the two measured (benchmarks/README.md, stop 30), the rank difference let
     * an equally good pair be told apart under cascade clicks (false winners in 9 to 11 of 100 experiments); the
     * inverse rank did not.
     */
    public static final Credit CREDIT = Credit.INVERSE_RANK;

    /** What a click on {@code key} credits {@code a} (negative: {@code b}) on a page of {@code size}. */
    public static <K> double creditOf(K key, List<K> a, List<K> b, int size, Credit credit) {
        int rankA = a.indexOf(key), rankB = b.indexOf(key);
        return credit.of(
                rankA < 0 ? Math.max(size, a.size()) + 1 : rankA + 1,
                rankB < 0 ? Math.max(size, b.size()) + 1 : rankB + 1);
    }

    /** Far above any list's worth (at most 1, or the largest credit): bias is removed first, then the objective. */
    private static final double BIAS_PENALTY = 1000;

    private OptimizedInterleaving() {}

    /** Among the unbiased distributions, which one: what a list is worth to the comparison. */
    public enum Objective {
        /** {@link #informativeness}: the click mass that decides, and how evenly it splits between the sides. */
        BALANCE,
        /** The expected absolute credit of a click under the {@code 1/rank} prior: large credits high on the page. */
        CREDIT_MASS;

        double of(double[] credits) {
            return switch (this) {
                case BALANCE -> informativeness(credits);
                case CREDIT_MASS -> creditMass(credits);
            };
        }
    }

    /** The objective {@code interleave} uses. */
    public static final Objective OBJECTIVE = Objective.BALANCE;

    /** The distribution over the lists of at most {@code size} results interleaved from {@code a} and {@code b}. */
    public static <K> Plan<K> plan(List<K> a, List<K> b, int size, Credit credit) {
        return plan(a, b, size, credit, OBJECTIVE);
    }

    /** {@link #plan} with another objective (the benchmarks compare them). */
    public static <K> Plan<K> plan(List<K> a, List<K> b, int size, Credit credit, Objective objective) {
        List<List<K>> lists = new ArrayList<>();
        enumerate(a, b, size, new ArrayList<>(), new HashSet<>(), 0, 0, lists);
        List<double[]> credits = new ArrayList<>();
        for (List<K> list : lists) {
            double[] c = new double[list.size()];
            for (int j = 0; j < c.length; j++) {
                c[j] = creditOf(list.get(j), a, b, size, credit);
            }
            credits.add(c);
        }
        if (lists.size() == 1) {
            return new Plan<>(lists, credits, new double[] {1}, maxBias(credits, new double[] {1}));
        }
        double[] probabilities = solve(credits, objective);
        return new Plan<>(lists, credits, probabilities, maxBias(credits, probabilities));
    }

    /** {@link #plan} and one draw from it. */
    public static <K> Page<K> interleave(List<K> a, List<K> b, int size, long seed, Credit credit) {
        return plan(a, b, size, credit).draw(seed);
    }

    /** Every list whose each next result is the first not yet shown of {@code a} or of {@code b}. */
    private static <K> void enumerate(
            List<K> a, List<K> b, int size, List<K> prefix, Set<K> shown, int nextA, int nextB, List<List<K>> out) {
        while (nextA < a.size() && shown.contains(a.get(nextA))) {
            nextA++;
        }
        while (nextB < b.size() && shown.contains(b.get(nextB))) {
            nextB++;
        }
        boolean aLeft = nextA < a.size(), bLeft = nextB < b.size();
        if (prefix.size() == size || (aLeft == false && bLeft == false)) {
            out.add(List.copyOf(prefix));
            return;
        }
        if (aLeft) {
            K key = a.get(nextA);
            prefix.add(key);
            shown.add(key);
            enumerate(a, b, size, prefix, shown, nextA + 1, nextB, out);
            shown.remove(key);
            prefix.remove(prefix.size() - 1);
        }
        if (bLeft && (aLeft == false || b.get(nextB).equals(a.get(nextA)) == false)) {
            K key = b.get(nextB);
            prefix.add(key);
            shown.add(key);
            enumerate(a, b, size, prefix, shown, nextA, nextB + 1, out);
            shown.remove(key);
            prefix.remove(prefix.size() - 1);
        }
    }

    /**
     * How much a list can tell: under a click prior of {@code 1/rank}, the share of the click mass on results that
     * credit a side, times the binary entropy of how that mass splits between {@code a} and {@code b} (a list whose
     * clicks all favour one side, or none, says least).
     */
    static double informativeness(double[] credits) {
        double forA = 0, forB = 0, total = 0;
        for (int j = 0; j < credits.length; j++) {
            double w = 1.0 / (j + 1);
            total += w;
            if (credits[j] > 0) {
                forA += w;
            } else if (credits[j] < 0) {
                forB += w;
            }
        }
        double deciding = forA + forB;
        if (deciding == 0) {
            return 0;
        }
        double share = forA / deciding;
        double entropy = 0;
        for (double p : new double[] {share, 1 - share}) {
            entropy -= p > 0 ? p * Math.log(p) / Math.log(2) : 0;
        }
        return deciding / total * entropy;
    }

    /** Under a click prior of {@code 1/rank}, the mean absolute credit of a click. */
    static double creditMass(double[] credits) {
        double mass = 0, total = 0;
        for (int j = 0; j < credits.length; j++) {
            double w = 1.0 / (j + 1);
            total += w;
            mass += w * Math.abs(credits[j]);
        }
        return total == 0 ? 0 : mass / total;
    }

    /** Variables: one probability per list, then a pair of slacks (above, below) per slot's bias. */
    private static double[] solve(List<double[]> credits, Objective goal) {
        int lists = credits.size();
        int slots = 0;
        for (double[] c : credits) {
            slots = Math.max(slots, c.length);
        }
        int variables = lists + 2 * slots;
        double[] objective = new double[variables];
        for (int i = 0; i < lists; i++) {
            objective[i] = goal.of(credits.get(i));
        }
        for (int s = lists; s < variables; s++) {
            objective[s] = -BIAS_PENALTY;
        }
        List<LinearConstraint> constraints = new ArrayList<>();
        double[] sum = new double[variables];
        for (int i = 0; i < lists; i++) {
            sum[i] = 1;
        }
        constraints.add(new LinearConstraint(sum, Relationship.EQ, 1));
        for (int j = 0; j < slots; j++) {
            double[] row = new double[variables];
            boolean any = false;
            for (int i = 0; i < lists; i++) {
                double[] c = credits.get(i);
                row[i] = j < c.length ? c[j] : 0;
                any |= row[i] != 0;
            }
            if (any == false) {
                continue;
            }
            row[lists + 2 * j] = 1;
            row[lists + 2 * j + 1] = -1;
            constraints.add(new LinearConstraint(row, Relationship.EQ, 0));
        }
        PointValuePair solution = new SimplexSolver()
                .optimize(
                        new MaxIter(100_000),
                        new LinearObjectiveFunction(objective, 0),
                        new LinearConstraintSet(constraints),
                        GoalType.MAXIMIZE,
                        new NonNegativeConstraint(true));
        double[] p = new double[lists];
        double total = 0;
        for (int i = 0; i < lists; i++) {
            p[i] = Math.max(0, solution.getPoint()[i]);
            total += p[i];
        }
        for (int i = 0; i < lists; i++) {
            p[i] /= total;
        }
        return p;
    }

    private static double maxBias(List<double[]> credits, double[] probabilities) {
        double worst = 0;
        int slots = 0;
        for (double[] c : credits) {
            slots = Math.max(slots, c.length);
        }
        for (int j = 0; j < slots; j++) {
            double bias = 0;
            for (int i = 0; i < credits.size(); i++) {
                double[] c = credits.get(i);
                bias += j < c.length ? probabilities[i] * c[j] : 0;
            }
            worst = Math.max(worst, Math.abs(bias));
        }
        return worst;
    }
}

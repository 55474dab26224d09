package org.semanticranking.bench;

import org.semanticranking.interleaving.InterleavingOutcome;
import org.semanticranking.interleaving.OptimizedInterleaving;
import org.semanticranking.interleaving.TeamDraft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.semanticranking.bench.LearnedRankingBenchmark.Query;
import static org.semanticranking.bench.LearnedRankingBenchmark.format;

/**
 * How many impressions interleaving needs to tell two rankings apart, against an A/B test of the same two, on one
 * catalogue's real rankings and human grades (issue 17).
 *
 * <p>Ranking A is the hybrid's top 10. Ranking B is the hybrid's top 10 for some queries and its lexical side's for the
 * others, the queries taken in a seeded random order until B's mean nDCG@10 over all queries is 3% below A's. Each
 * impression is a query drawn uniformly; the page is the team draft of A and B seeded by the impression (the plugin's
 * own {@link TeamDraft}), or, in the A/B test, A's or B's page for half the impressions each. Clicks follow one of two
 * models, with the attraction of a product of grade g {@code 0.02 + 0.98 (2^g - 1) / (2^max - 1)} (0 when unjudged):
 * <ul>
 *   <li>position-based: slot k examined with probability {@code k^-0.8};</li>
 *   <li>cascade with satisfaction: slots read from the top, each next one with probability 0.9; after a click the
 *       shopper stops with the probability of being satisfied, {@code (2^g - 1) / (2^max - 1)}.</li>
 * </ul>
 * An interleaving experiment names the better ranking when the plugin's {@link InterleavingOutcome} prefers A at
 * p < 0.05 (by each of its two tests, the click difference and the sign test); it claims a false winner when two different but equally good rankings (A, and A with the products of each
 * grade shuffled among that grade's slots) give p < 0.05. Clicks on the two lists' common prefix credit neither side. An A/B experiment names A when A's clicks per impression are higher at p < 0.05 (two-sided z-test).
 * 100 experiments per size, seeded.
 */
final class InterleavingSimulation {

    static final int EXPERIMENTS = 100;
    static final List<OptimizedInterleaving.Credit> OPTIMIZED_CREDITS =
            List.of(OptimizedInterleaving.Credit.INVERSE_RANK, OptimizedInterleaving.Credit.RANK_DIFFERENCE);
    /** Impressions of the one long run that measures an "equally good" pair's own preference. */
    static final int LONG_RUN = 400_000;

    static final int[] INTERLEAVING_SIZES = {100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000};
    static final int[] AB_SIZES = {1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000};

    private final List<Query> queries;
    private final List<List<String>> a;
    private final List<List<String>> b;
    /** A with the products of each grade shuffled among that grade's slots: a different ranking exactly as good. */
    private final List<List<String>> sameWorth;

    private final double maxGrade;
    private final StringBuilder notes = new StringBuilder();

    InterleavingSimulation(
            List<Query> queries, List<List<String>> hybrid, List<List<String>> lexical, double maxGrade) {
        this.queries = queries;
        this.maxGrade = maxGrade;
        this.a = hybrid;
        double meanA = mean(hybrid);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(3));
        List<List<String>> mixed = new ArrayList<>(hybrid);
        int swapped = 0;
        for (int i : order) {
            if (mean(mixed) <= 0.97 * meanA) {
                break;
            }
            mixed.set(i, lexical.get(i));
            swapped++;
        }
        this.b = mixed;
        // the same grade in every slot, the products of each grade in another order: different lists, equally good
        Random shuffle = new Random(5);
        List<List<String>> same = new ArrayList<>();
        long moved = 0;
        long shown = 0;
        for (int i = 0; i < queries.size(); i++) {
            List<String> list = hybrid.get(i);
            List<String> permuted = withinGrades(list, queries.get(i).grades(), shuffle);
            for (int k = 0; k < list.size(); k++) {
                moved += list.get(k).equals(permuted.get(k)) ? 0 : 1;
            }
            shown += list.size();
            same.add(permuted);
        }
        this.sameWorth = same;
        notes.append(format(
                "Equally good rankings: A against A with the products of each grade shuffled among that grade's slots"
                        + " (every slot keeps its grade, so the same expected clicks and nDCG under both click models);"
                        + " %d of the %d shown results move.%n%n",
                moved, shown));

        notes.append(format(
                "Ranking A: the hybrid, nDCG@10 %.4f over all %d queries; ranking B: the lexical side's list for %d of"
                        + " them, nDCG@10 %.4f (%.1f%% lower); %d queries rank differently in A and B.%n%n",
                meanA, queries.size(), swapped, mean(mixed), 100 * (1 - mean(mixed) / meanA), differing()));
    }

    /** The list with the products of each grade shuffled among that grade's slots (every slot keeps its grade). */
    static List<String> withinGrades(List<String> list, Map<String, Double> grades, Random shuffle) {
        Map<Double, List<Integer>> slotsOfGrade = new java.util.TreeMap<>();
        for (int k = 0; k < list.size(); k++) {
            slotsOfGrade
                    .computeIfAbsent(grades.getOrDefault(list.get(k), 0.0), g -> new ArrayList<>())
                    .add(k);
        }
        List<String> permuted = new ArrayList<>(list);
        for (List<Integer> slots : slotsOfGrade.values()) {
            List<String> products = new ArrayList<>();
            slots.forEach(k -> products.add(list.get(k)));
            java.util.Collections.shuffle(products, shuffle);
            for (int j = 0; j < slots.size(); j++) {
                permuted.set(slots.get(j), products.get(j));
            }
        }
        return permuted;
    }

    private long differing() {
        long n = 0;
        for (int i = 0; i < queries.size(); i++) {
            n += a.get(i).equals(b.get(i)) ? 0 : 1;
        }
        return n;
    }

    private double mean(List<List<String>> rankings) {
        double sum = 0;
        for (int i = 0; i < queries.size(); i++) {
            sum += LearnedRankingBenchmark.ndcgAt10(
                    rankings.get(i), queries.get(i).grades());
        }
        return sum / queries.size();
    }

    interface ClickModel {
        /** Which of the page's slots are clicked. */
        boolean[] clicks(Query q, List<String> page, SplittableRandom random);
    }

    double attraction(Query q, String id) {
        double g = q.grades().getOrDefault(id, 0.0);
        return 0.02 + 0.98 * (Math.pow(2, g) - 1) / (Math.pow(2, maxGrade) - 1);
    }

    double satisfaction(Query q, String id) {
        double g = q.grades().getOrDefault(id, 0.0);
        return (Math.pow(2, g) - 1) / (Math.pow(2, maxGrade) - 1);
    }

    ClickModel positionBased() {
        return (q, page, random) -> {
            boolean[] clicked = new boolean[page.size()];
            for (int k = 0; k < page.size(); k++) {
                clicked[k] =
                        random.nextDouble() < Math.pow(k + 1, -0.8) && random.nextDouble() < attraction(q, page.get(k));
            }
            return clicked;
        };
    }

    ClickModel cascade() {
        return (q, page, random) -> {
            boolean[] clicked = new boolean[page.size()];
            for (int k = 0; k < page.size(); k++) {
                if (k > 0 && random.nextDouble() >= 0.9) {
                    break;
                }
                if (random.nextDouble() < attraction(q, page.get(k))) {
                    clicked[k] = true;
                    if (random.nextDouble() < satisfaction(q, page.get(k))) {
                        break;
                    }
                }
            }
            return clicked;
        };
    }

    /**
     * One experiment's outcome as the plugin counts it, and beside it (a what-if, not in the plugin) the click difference
     * with each click's credit marginalised over the draft's coins: the probability that A picked the clicked slot,
     * over the coin sequences that show the same page ({@link #creditToA}), so a click counts {@code 2 p - 1} for A.
     * Given the page and the clicks this is the expectation of the team-draft credit, so its mean is the same and its
     * variance no larger (Rao-Blackwell).
     */
    record Experiment(InterleavingOutcome outcome, double marginalMean, double marginalPValue) {}

    /**
     * @param other the rankings A is interleaved with; {@code null}: at each impression a fresh within-grade shuffle of
     *              A's list (an exchangeable pair: neither side can be preferred in expectation)
     */
    private Experiment interleaved(ClickModel model, List<List<String>> other, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        InterleavingOutcome.Counter counter = new InterleavingOutcome.Counter();
        double sum = 0, sumSquares = 0;
        long decided = 0;
        for (int i = 0; i < n; i++) {
            int q = random.nextInt(queries.size());
            List<String> b = other != null
                    ? other.get(q)
                    : withinGrades(a.get(q), queries.get(q).grades(), new Random(random.nextLong()));
            List<TeamDraft.Pick<String>> picks = TeamDraft.interleave(a.get(q), b, 10, TeamDraft.seed(seed + "-" + i));
            List<String> page = picks.stream().map(TeamDraft.Pick::key).toList();
            boolean[] clicked = model.clicks(queries.get(q), page, random);
            int[] perSide = new int[3]; // a, b, and the lists' common prefix (credits neither)
            double[] credit = null;
            double marginal = 0;
            for (int k = 0; k < clicked.length; k++) {
                if (clicked[k]) {
                    perSide[picks.get(k).side()]++;
                    if (picks.get(k).side() != TeamDraft.BOTH) {
                        credit = credit == null ? creditToA(a.get(q), b, page) : credit;
                        marginal += 2 * credit[k] - 1;
                    }
                }
            }
            counter.add(perSide[0], perSide[1]);
            if (perSide[0] + perSide[1] > 0) {
                decided++;
                sum += marginal;
                sumSquares += marginal * marginal;
            }
        }
        double mean = decided == 0 ? 0 : sum / decided;
        double p = 1;
        if (decided > 1) {
            double se = Math.sqrt(Math.max(0, (sumSquares - decided * mean * mean) / (decided - 1)) / decided);
            p = se == 0
                    ? (mean == 0 ? 1 : 0)
                    : 2
                            * new org.apache.commons.math3.distribution.TDistribution(null, decided - 1)
                                    .cumulativeProbability(-Math.abs(mean) / se);
        }
        return new Experiment(counter.outcome(), mean, p);
    }

    /**
     * For each slot of {@code page}, the probability that A picked it, over the coin sequences of a team draft of
     * {@code a} and {@code b} that show exactly this page, each weighed by its probability (one half per coin); the
     * lists' common prefix is one half (it credits neither).
     */
    static double[] creditToA(List<String> a, List<String> b, List<String> page) {
        double[] toA = new double[page.size()];
        double[] total = {0};
        draft(
                a,
                b,
                page,
                0,
                new int[] {0, 0},
                new int[] {0, 0},
                new java.util.HashSet<>(),
                new int[page.size()],
                1.0,
                toA,
                total);
        int common = 0;
        while (common < a.size() && common < b.size() && a.get(common).equals(b.get(common))) {
            common++;
        }
        for (int k = 0; k < toA.length; k++) {
            toA[k] = k < common || total[0] == 0 ? 0.5 : toA[k] / total[0];
        }
        return toA;
    }

    private static void draft(
            List<String> a,
            List<String> b,
            List<String> page,
            int k,
            int[] next,
            int[] team,
            java.util.Set<String> taken,
            int[] sides,
            double weight,
            double[] toA,
            double[] total) {
        if (k == page.size()) {
            total[0] += weight;
            for (int j = 0; j < sides.length; j++) {
                toA[j] += sides[j] == 0 ? weight : 0;
            }
            return;
        }
        List<List<String>> lists = List.of(a, b);
        int[] n = next.clone();
        for (int side = 0; side < 2; side++) {
            while (n[side] < lists.get(side).size()
                    && taken.contains(lists.get(side).get(n[side]))) {
                n[side]++;
            }
        }
        boolean aLeft = n[0] < a.size(), bLeft = n[1] < b.size();
        if (aLeft == false && bLeft == false) {
            return;
        }
        List<Integer> choices;
        double w = weight;
        if (aLeft == false) {
            choices = List.of(1);
        } else if (bLeft == false) {
            choices = List.of(0);
        } else if (team[0] != team[1]) {
            choices = List.of(team[0] < team[1] ? 0 : 1);
        } else {
            choices = List.of(0, 1);
            w = weight / 2;
        }
        for (int side : choices) {
            String key = lists.get(side).get(n[side]);
            if (key.equals(page.get(k)) == false) {
                continue;
            }
            int[] n2 = n.clone();
            n2[side]++;
            int[] t2 = team.clone();
            t2[side]++;
            taken.add(key);
            sides[k] = side;
            draft(a, b, page, k + 1, n2, t2, taken, sides, w, toA, total);
            taken.remove(key);
        }
    }

    private final Map<
                    OptimizedInterleaving.Credit,
                    Map<List<List<String>>, Map<Integer, OptimizedInterleaving.Plan<String>>>>
            plans = new java.util.EnumMap<>(OptimizedInterleaving.Credit.class);

    /** Optimized interleaving of A against {@code other}: one plan per query, a draw per impression. */
    /**
     * An optimized interleaving experiment as the plugin counts it ({@link InterleavingOutcome.Counter} with each
     * impression's credits, the {@code interleaving/_results} of events logged with the hits' credits).
     */
    private InterleavingOutcome optimized(
            ClickModel model, List<List<String>> other, int n, long seed, OptimizedInterleaving.Credit credit) {
        Map<Integer, OptimizedInterleaving.Plan<String>> byQuery = plans.computeIfAbsent(
                        credit, c -> new java.util.IdentityHashMap<>())
                .computeIfAbsent(other, o -> new java.util.HashMap<>());
        SplittableRandom random = new SplittableRandom(seed);
        InterleavingOutcome.Counter counter = new InterleavingOutcome.Counter();
        for (int i = 0; i < n; i++) {
            int q = random.nextInt(queries.size());
            OptimizedInterleaving.Plan<String> plan =
                    byQuery.computeIfAbsent(q, k -> OptimizedInterleaving.plan(a.get(k), other.get(k), 10, credit));
            OptimizedInterleaving.Page<String> page = plan.draw(TeamDraft.seed(seed + "-" + i));
            boolean[] clicked = model.clicks(queries.get(q), page.keys(), random);
            long[] clicks = new long[2];
            double[] credited = new double[2];
            for (int k = 0; k < clicked.length; k++) {
                double c = page.credits()[k];
                if (clicked[k] && c != 0) {
                    clicks[c > 0 ? 0 : 1]++;
                    credited[c > 0 ? 0 : 1] += Math.abs(c);
                }
            }
            counter.add(clicks[0], clicks[1], credited[0], credited[1]);
        }
        return counter.outcome();
    }

    /**
     * The plans of A against {@code other}: the largest expected credit left in a slot under random clicks (0:
     * unbiased), as a share of the largest credit a result can have, and the queries whose plan leaves more than 1%.
     */
    private String planBias(List<List<String>> other, OptimizedInterleaving.Credit credit) {
        double worst = 0;
        int biased = 0;
        for (int q = 0; q < queries.size(); q++) {
            OptimizedInterleaving.Plan<String> plan = OptimizedInterleaving.plan(a.get(q), other.get(q), 10, credit);
            double largest = 0;
            for (double[] c : plan.credits()) {
                for (double v : c) {
                    largest = Math.max(largest, Math.abs(v));
                }
            }
            double share = largest == 0 ? 0 : plan.bias() / largest;
            worst = Math.max(worst, share);
            biased += share > 0.01 ? 1 : 0;
        }
        return format("largest %.2g, %d of %d queries above 1%%", worst, biased, queries.size());
    }

    /** 1 when A's clicks per impression are higher at p < 0.05 (two-sided z-test), else 0. */
    private int abTest(ClickModel model, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] sum = new double[2], sumSquares = new double[2];
        long[] count = new long[2];
        for (int i = 0; i < n; i++) {
            int arm = i % 2;
            int q = random.nextInt(queries.size());
            boolean[] clicked = model.clicks(queries.get(q), (arm == 0 ? a : b).get(q), random);
            int clicks = 0;
            for (boolean c : clicked) {
                clicks += c ? 1 : 0;
            }
            sum[arm] += clicks;
            sumSquares[arm] += clicks * clicks;
            count[arm]++;
        }
        double[] mean = new double[2], variance = new double[2];
        for (int arm = 0; arm < 2; arm++) {
            mean[arm] = sum[arm] / count[arm];
            variance[arm] = (sumSquares[arm] - count[arm] * mean[arm] * mean[arm]) / (count[arm] - 1);
        }
        double z = (mean[0] - mean[1]) / Math.sqrt(variance[0] / count[0] + variance[1] / count[1]);
        return z > 1.959964 ? 1 : 0;
    }

    String run() {
        StringBuilder out =
                new StringBuilder("#### Interleaving against an A/B test (simulated, 100 experiments per size)\n\n");
        out.append(notes);
        for (String name : List.of("position-based", "cascade with satisfaction")) {
            ClickModel model = name.equals("position-based") ? positionBased() : cascade();
            out.append("Clicks: ")
                    .append(name)
                    .append(".\n\n| impressions | A named (of 100): click difference | sign test | "
                            + "marginalised credit (what-if) | equally good rankings, a winner claimed at p < 0.05"
                            + " (of 100): click difference | sign test | marginalised credit | exchangeable pair "
                            + "(a fresh shuffle per impression), a winner claimed: click difference | sign test |"
                            + " mean preference for A | mean click difference | optimized, inverse-rank credit: A named |"
                            + " equally good (fixed pair), a winner claimed | optimized, rank-difference credit: A named"
                            + " | equally good, a winner claimed |\n"
                            + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            Integer enough = null, enoughSign = null, enoughMarginal = null;
            Integer[] enoughOptimized = new Integer[2];
            for (int n : INTERLEAVING_SIZES) {
                int[] detected = new int[3], falseClaims = new int[3], exchangeableClaims = new int[2];
                double preference = 0, difference = 0;
                int[] optimizedNamed = new int[2], optimizedFalse = new int[2];
                for (int e = 0; e < EXPERIMENTS; e++) {
                    for (int c = 0; c < 2; c++) {
                        OptimizedInterleaving.Credit credit = OPTIMIZED_CREDITS.get(c);
                        InterleavingOutcome named = optimized(model, b, n, 1000L * n + e, credit);
                        InterleavingOutcome onSame = optimized(model, sameWorth, n, 7_000_000L + 1000L * n + e, credit);
                        optimizedNamed[c] += "a".equals(named.winner(0.05)) ? 1 : 0;
                        optimizedFalse[c] += onSame.winner(0.05) != null ? 1 : 0;
                    }
                    Experiment experiment = interleaved(model, b, n, 1000L * n + e);
                    Experiment onNull = interleaved(model, sameWorth, n, 7_000_000L + 1000L * n + e);
                    InterleavingOutcome exchangeable = interleaved(model, null, n, 8_000_000L + 1000L * n + e)
                            .outcome();
                    InterleavingOutcome outcome = experiment.outcome();
                    InterleavingOutcome same = onNull.outcome();
                    for (InterleavingOutcome.Test test : InterleavingOutcome.Test.values()) {
                        detected[test.ordinal()] += "a".equals(outcome.winner(test, 0.05)) ? 1 : 0;
                        falseClaims[test.ordinal()] += same.winner(test, 0.05) != null ? 1 : 0;
                        exchangeableClaims[test.ordinal()] += exchangeable.winner(test, 0.05) != null ? 1 : 0;
                    }
                    detected[2] += experiment.marginalPValue() < 0.05 && experiment.marginalMean() > 0 ? 1 : 0;
                    falseClaims[2] += onNull.marginalPValue() < 0.05 ? 1 : 0;
                    preference += outcome.preference() / EXPERIMENTS;
                    difference += outcome.clickDifference() / EXPERIMENTS;
                }
                int clickDifference = InterleavingOutcome.Test.CLICK_DIFFERENCE.ordinal();
                int sign = InterleavingOutcome.Test.SIGN.ordinal();
                if (enoughMarginal == null && detected[2] >= 95) {
                    enoughMarginal = n;
                }
                for (int c = 0; c < 2; c++) {
                    if (enoughOptimized[c] == null && optimizedNamed[c] >= 95) {
                        enoughOptimized[c] = n;
                    }
                }
                if (enough == null && detected[clickDifference] >= 95) {
                    enough = n;
                }
                if (enoughSign == null && detected[sign] >= 95) {
                    enoughSign = n;
                }
                out.append(format(
                        "| %d | %d | %d | %d | %d | %d | %d | %d | %d | %+.4f | %+.4f | %d | %d | %d | %d |%n",
                        n,
                        detected[clickDifference],
                        detected[sign],
                        detected[2],
                        falseClaims[clickDifference],
                        falseClaims[sign],
                        falseClaims[2],
                        exchangeableClaims[clickDifference],
                        exchangeableClaims[sign],
                        preference,
                        difference,
                        optimizedNamed[0],
                        optimizedFalse[0],
                        optimizedNamed[1],
                        optimizedFalse[1]));
            }
            // what each "equally good" pair's team draft prefers when asked long enough: a fixed pair can carry a true
            // preference (team draft's want of fidelity), the exchangeable one cannot
            for (boolean fixed : new boolean[] {true, false}) {
                Experiment big = interleaved(model, fixed ? sameWorth : null, LONG_RUN, fixed ? 11L : 13L);
                out.append(format(
                        "- the %s over %,d impressions: click difference per impression with a click %+.4f"
                                + " +- %.4f (95%%), p %.2g; sign-test preference %+.4f, p %.2g%n",
                        fixed
                                ? "fixed within-grade pair (the null above)"
                                : "exchangeable pair (a fresh within-grade shuffle per impression)",
                        LONG_RUN,
                        big.outcome().clickDifference(),
                        big.outcome().clickDifferenceMargin(),
                        big.outcome().clickDifferencePValue(),
                        big.outcome().preference(),
                        big.outcome().pValue()));
            }
            for (OptimizedInterleaving.Credit credit : OPTIMIZED_CREDITS) {
                InterleavingOutcome bigOptimized = optimized(model, sameWorth, LONG_RUN, 11L, credit);
                out.append(format(
                        "- optimized interleaving (%s credit) of the fixed within-grade pair over %,d impressions:"
                                + " credit for A per impression with a credited click %+.4f +- %.4f (95%%), p %.2g;"
                                + " its plans' expected credit left in a slot under random clicks, as a share of the"
                                + " largest credit: %s (against B: %s)%n",
                        credit.name().toLowerCase(java.util.Locale.ROOT),
                        LONG_RUN,
                        bigOptimized.clickDifference(),
                        bigOptimized.clickDifferenceMargin(),
                        bigOptimized.clickDifferencePValue(),
                        planBias(sameWorth, credit),
                        planBias(b, credit)));
            }
            Integer abEnough = null;
            StringBuilder ab = new StringBuilder();
            for (int n : AB_SIZES) {
                int detected = 0;
                for (int e = 0; e < EXPERIMENTS; e++) {
                    detected += abTest(model, n, 9_000_000L + 1000L * n + e);
                }
                ab.append(ab.length() == 0 ? "" : ", ").append(format("%d: %d", n, detected));
                if (abEnough == null && detected >= 95) {
                    abEnough = n;
                }
            }
            out.append(format(
                    "%n- interleaving names A in at least 95 of 100 experiments from **%s** impressions with the "
                            + "click-difference test (the sign test: from %s; the marginalised credit, a what-if: "
                            + "from %s; optimized interleaving, inverse-rank credit: from %s, rank-difference credit: from"
                            + " %s); an A/B test of"
                            + " the same two rankings (clicks per impression) from **%s** (A named, of 100, by"
                            + " impressions: %s)%n%n",
                    enough == null ? "more than " + INTERLEAVING_SIZES[INTERLEAVING_SIZES.length - 1] : enough,
                    enoughSign == null ? "more than " + INTERLEAVING_SIZES[INTERLEAVING_SIZES.length - 1] : enoughSign,
                    enoughMarginal == null
                            ? "more than " + INTERLEAVING_SIZES[INTERLEAVING_SIZES.length - 1]
                            : enoughMarginal,
                    enoughOptimized[0] == null
                            ? "more than " + INTERLEAVING_SIZES[INTERLEAVING_SIZES.length - 1]
                            : enoughOptimized[0],
                    enoughOptimized[1] == null
                            ? "more than " + INTERLEAVING_SIZES[INTERLEAVING_SIZES.length - 1]
                            : enoughOptimized[1],
                    abEnough == null ? "more than " + AB_SIZES[AB_SIZES.length - 1] : abEnough,
                    ab));
        }
        return out.toString();
    }
}

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
 * own {@link TeamDraft}), or a draw of the plugin's {@link OptimizedInterleaving} plan for the query (one plan per
 * query, with each of two credits), or, in the A/B test, A's or B's page for half the impressions each. Clicks follow one of two
 * models, with the attraction of a product of grade g {@code 0.02 + 0.98 (2^g - 1) / (2^max - 1)} (0 when unjudged):
 * <ul>
 *   <li>position-based: slot k examined with probability {@code k^-0.8};</li>
 *   <li>cascade with satisfaction: slots read from the top, each next one with probability 0.9; after a click the
 *       shopper stops with the probability of being satisfied, {@code (2^g - 1) / (2^max - 1)}.</li>
 * </ul>
 * An interleaving experiment names the better ranking when the plugin's {@link InterleavingOutcome} prefers A at
 * p < 0.05 (by each of its two tests, the click difference and the sign test); it claims a false winner when two different but equally good rankings (A, and A with the products of each
 * grade shuffled among that grade's slots) give p < 0.05. Under team draft clicks on the two lists' common prefix
 * credit neither side; under optimized interleaving a click credits what its result's credit says. An A/B experiment
 * names A when A's clicks per impression are higher at p < 0.05 (two-sided z-test).
 * 100 experiments per size, seeded.
 */
final class InterleavingSimulation {

    static final int EXPERIMENTS = 100;
    /** One way of optimized interleaving: its credit and its objective. */
    record Variant(OptimizedInterleaving.Credit credit, OptimizedInterleaving.Objective objective) {
        String label() {
            return (credit.name() + " credit, " + objective.name() + " objective")
                    .toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ');
        }

        OptimizedInterleaving.Plan<String> plan(List<String> a, List<String> b) {
            return OptimizedInterleaving.plan(a, b, 10, credit, objective);
        }
    }

    /** The plugin's (first), and beside it one other credit and one other objective. */
    static final List<Variant> VARIANTS = List.of(
            new Variant(OptimizedInterleaving.CREDIT, OptimizedInterleaving.OBJECTIVE),
            new Variant(OptimizedInterleaving.Credit.RANK_DIFFERENCE, OptimizedInterleaving.Objective.BALANCE),
            new Variant(OptimizedInterleaving.Credit.INVERSE_RANK, OptimizedInterleaving.Objective.CREDIT_MASS));
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
     * A team-draft experiment as the plugin counts it.
     *
     * @param other the rankings A is interleaved with; {@code null}: at each impression a fresh within-grade shuffle of
     *              A's list (an exchangeable pair: neither side can be preferred in expectation)
     */
    private InterleavingOutcome interleaved(ClickModel model, List<List<String>> other, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        InterleavingOutcome.Counter counter = new InterleavingOutcome.Counter();
        for (int i = 0; i < n; i++) {
            int q = random.nextInt(queries.size());
            List<String> b = other != null
                    ? other.get(q)
                    : withinGrades(a.get(q), queries.get(q).grades(), new Random(random.nextLong()));
            List<TeamDraft.Pick<String>> picks = TeamDraft.interleave(a.get(q), b, 10, TeamDraft.seed(seed + "-" + i));
            List<String> page = picks.stream().map(TeamDraft.Pick::key).toList();
            boolean[] clicked = model.clicks(queries.get(q), page, random);
            int[] perSide = new int[3]; // a, b, and the lists' common prefix (credits neither)
            for (int k = 0; k < clicked.length; k++) {
                if (clicked[k]) {
                    perSide[picks.get(k).side()]++;
                }
            }
            counter.add(perSide[0], perSide[1]);
        }
        return counter.outcome();
    }

    private final Map<Variant, Map<List<List<String>>, Map<Integer, OptimizedInterleaving.Plan<String>>>> plans =
            new java.util.HashMap<>();

    /** Optimized interleaving of A against {@code other}: one plan per query, a draw per impression. */
    /**
     * An optimized interleaving experiment as the plugin counts it ({@link InterleavingOutcome.Counter} with each
     * impression's credits, the {@code interleaving/_results} of events logged with the hits' credits).
     */
    private InterleavingOutcome optimized(
            ClickModel model, List<List<String>> other, int n, long seed, Variant variant) {
        Map<Integer, OptimizedInterleaving.Plan<String>> byQuery = plans.computeIfAbsent(
                        variant, c -> new java.util.IdentityHashMap<>())
                .computeIfAbsent(other, o -> new java.util.HashMap<>());
        SplittableRandom random = new SplittableRandom(seed);
        InterleavingOutcome.Counter counter = new InterleavingOutcome.Counter();
        for (int i = 0; i < n; i++) {
            int q = random.nextInt(queries.size());
            OptimizedInterleaving.Plan<String> plan =
                    byQuery.computeIfAbsent(q, k -> variant.plan(a.get(k), other.get(k)));
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
    private String planBias(List<List<String>> other, Variant variant) {
        double worst = 0;
        int biased = 0;
        for (int q = 0; q < queries.size(); q++) {
            OptimizedInterleaving.Plan<String> plan = variant.plan(a.get(q), other.get(q));
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

    /** Experiments of 100 at each size: how many name A, how many claim a winner between equally good rankings. */
    private record Row(int[] named, int[] falseClaims) {
        Row() {
            this(new int[2], new int[2]);
        }

        void count(InterleavingOutcome better, InterleavingOutcome same) {
            for (InterleavingOutcome.Test test : InterleavingOutcome.Test.values()) {
                named[test.ordinal()] += "a".equals(better.winner(test, 0.05)) ? 1 : 0;
                falseClaims[test.ordinal()] += same.winner(test, 0.05) != null ? 1 : 0;
            }
        }
    }

    /** Nanoseconds to plan one query's optimized page, mean over the queries (after one warm-up pass). */
    private double planNanos(Variant variant) {
        long total = 0;
        for (int pass = 0; pass < 2; pass++) {
            total = 0;
            for (int q = 0; q < queries.size(); q++) {
                long t0 = System.nanoTime();
                variant.plan(a.get(q), b.get(q));
                total += System.nanoTime() - t0;
            }
        }
        return (double) total / queries.size();
    }

    /** Nanoseconds for one team draft of a query's page, mean over the queries (after a warm-up pass). */
    private double draftNanos() {
        long total = 0;
        int rounds = 50;
        for (int pass = 0; pass < 2; pass++) {
            total = 0;
            for (int r = 0; r < rounds; r++) {
                for (int q = 0; q < queries.size(); q++) {
                    long t0 = System.nanoTime();
                    TeamDraft.interleave(a.get(q), b.get(q), 10, r);
                    total += System.nanoTime() - t0;
                }
            }
        }
        return (double) total / (rounds * queries.size());
    }

    private static String from(Integer size, int[] sizes) {
        return size == null ? "more than " + sizes[sizes.length - 1] : String.valueOf(size);
    }

    String run() {
        StringBuilder out =
                new StringBuilder("#### Interleaving against an A/B test (simulated, 100 experiments per size)\n\n");
        out.append(notes);
        int clickDifference = InterleavingOutcome.Test.CLICK_DIFFERENCE.ordinal();
        int sign = InterleavingOutcome.Test.SIGN.ordinal();
        double draft = draftNanos();
        for (Variant variant : VARIANTS) {
            double plan = planNanos(variant);
            out.append(format(
                    "Optimized interleaving's plan (%s), one query's page of 10: %.2f ms mean over the queries, %.0f"
                            + " times a team draft of the same page (%.1f us), in this JVM.%n%n",
                    variant.label(), plan / 1e6, plan / draft, draft / 1e3));
        }
        for (String name : List.of("position-based", "cascade with satisfaction")) {
            ClickModel model = name.equals("position-based") ? positionBased() : cascade();
            out.append("Clicks: ").append(name).append(".\n\n");
            out.append(
                    "Each cell: A named of 100 experiments / a winner claimed between the fixed equally good pair, of"
                            + " 100 (p < 0.05); by the click-difference (under optimized interleaving, credit-difference) test"
                            + " and by the sign test.\n\n| impressions | team draft: click difference | sign test | team"
                            + " draft, exchangeable pair, a winner claimed: click difference | sign test |");
            for (Variant variant : VARIANTS) {
                out.append(" optimized, ").append(variant.label()).append(": credit difference | sign test |");
            }
            out.append("\n|---|---|---|---|---|")
                    .append("---|---|".repeat(VARIANTS.size()))
                    .append('\n');
            Integer[][] from = new Integer[1 + VARIANTS.size()][2];
            for (int n : INTERLEAVING_SIZES) {
                Row teamDraft = new Row();
                int[] exchangeableClaims = new int[2];
                Row[] optimized = new Row[VARIANTS.size()];
                for (int v = 0; v < optimized.length; v++) {
                    optimized[v] = new Row();
                }
                for (int e = 0; e < EXPERIMENTS; e++) {
                    teamDraft.count(
                            interleaved(model, b, n, 1000L * n + e),
                            interleaved(model, sameWorth, n, 7_000_000L + 1000L * n + e));
                    InterleavingOutcome exchangeable = interleaved(model, null, n, 8_000_000L + 1000L * n + e);
                    for (InterleavingOutcome.Test test : InterleavingOutcome.Test.values()) {
                        exchangeableClaims[test.ordinal()] += exchangeable.winner(test, 0.05) != null ? 1 : 0;
                    }
                    for (int v = 0; v < VARIANTS.size(); v++) {
                        optimized[v].count(
                                optimized(model, b, n, 1000L * n + e, VARIANTS.get(v)),
                                optimized(model, sameWorth, n, 7_000_000L + 1000L * n + e, VARIANTS.get(v)));
                    }
                }
                out.append(format(
                        "| %d | %d / %d | %d / %d | %d | %d |",
                        n,
                        teamDraft.named()[clickDifference],
                        teamDraft.falseClaims()[clickDifference],
                        teamDraft.named()[sign],
                        teamDraft.falseClaims()[sign],
                        exchangeableClaims[clickDifference],
                        exchangeableClaims[sign]));
                for (Row row : optimized) {
                    out.append(format(
                            " %d / %d | %d / %d |",
                            row.named()[clickDifference],
                            row.falseClaims()[clickDifference],
                            row.named()[sign],
                            row.falseClaims()[sign]));
                }
                out.append('\n');
                for (int r = 0; r <= optimized.length; r++) {
                    Row row = r == 0 ? teamDraft : optimized[r - 1];
                    for (int t = 0; t < 2; t++) {
                        if (from[r][t] == null && row.named()[t] >= 95) {
                            from[r][t] = n;
                        }
                    }
                }
            }
            // what each "equally good" pair's interleaving prefers when asked long enough: a fixed pair can carry a
            // true preference under team draft (its want of fidelity), the exchangeable one cannot
            for (boolean fixed : new boolean[] {true, false}) {
                InterleavingOutcome big = interleaved(model, fixed ? sameWorth : null, LONG_RUN, fixed ? 11L : 13L);
                out.append(format(
                        "- team draft, the %s over %,d impressions: click difference per impression with a click %+.4f"
                                + " +- %.4f (95%%), p %.2g; sign-test preference %+.4f, p %.2g%n",
                        fixed
                                ? "fixed within-grade pair (the null above)"
                                : "exchangeable pair (a fresh within-grade shuffle per impression)",
                        LONG_RUN,
                        big.clickDifference(),
                        big.clickDifferenceMargin(),
                        big.clickDifferencePValue(),
                        big.preference(),
                        big.pValue()));
            }
            for (Variant variant : VARIANTS) {
                InterleavingOutcome big = optimized(model, sameWorth, LONG_RUN, 11L, variant);
                out.append(format(
                        "- optimized interleaving (%s) of the fixed within-grade pair over %,d impressions: credit"
                                + " difference per impression with a credited click %+.4f +- %.4f (95%%), p %.2g;"
                                + " sign-test preference %+.4f, p %.2g; its plans' expected credit left in a slot"
                                + " under random clicks, as a share of the largest credit: %s (against B: %s)%n",
                        variant.label(),
                        LONG_RUN,
                        big.clickDifference(),
                        big.clickDifferenceMargin(),
                        big.clickDifferencePValue(),
                        big.preference(),
                        big.pValue(),
                        planBias(sameWorth, variant),
                        planBias(b, variant)));
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
                    "%n- A named in at least 95 of 100 experiments from: team draft **%s** impressions (click"
                            + " difference), %s (sign test)",
                    from(from[0][clickDifference], INTERLEAVING_SIZES), from(from[0][sign], INTERLEAVING_SIZES)));
            for (int v = 0; v < VARIANTS.size(); v++) {
                out.append(format(
                        "; optimized, %s: %s (credit difference), %s (sign test)",
                        VARIANTS.get(v).label(),
                        from(from[v + 1][clickDifference], INTERLEAVING_SIZES),
                        from(from[v + 1][sign], INTERLEAVING_SIZES)));
            }
            out.append(format(
                    "; an A/B test of the same two rankings (clicks per impression) from **%s** (A named, of 100, by"
                            + " impressions: %s)%n%n",
                    from(abEnough, AB_SIZES), ab));
        }
        return out.toString();
    }
}

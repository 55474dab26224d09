package org.semanticranking.judgments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Grades (query, product) pairs from what the logs say of them ({@link ShownCounts}), with position bias taken out by
 * the chosen click model.
 *
 * <p>A pair's value is its probability of being clicked when shown in the top slot: the position-based model's
 * relevance, or its COEC times the top slot's click-through rate (what COEC says it would get there). Clicks that led
 * to carts and purchases count for more, as profiles weigh them ({@link ShownCounts#weighted}). The grade is the one
 * whose nDCG gain, {@code 2^grade - 1} over {@code 2^max_grade - 1}, is nearest that value: a product clicked every time
 * it is seen on top gets {@code max_grade}, one never clicked gets 0, and the gains keep the ratios of the click
 * probabilities, which is what nDCG on these grades then measures.
 */
public final class ImplicitJudgments {

    private ImplicitJudgments() {}

    public static Judgments compute(List<ShownCounts> rows, JudgmentOptions options, long unplacedClicks) {
        int slots = options.slots();
        long[] slotShown = new long[slots];
        long shown = 0, clicked = 0;
        Map<Shown.Pair, long[]> perPair = new LinkedHashMap<>(); // impressions, clicks in the slots
        Map<Shown.Pair, Double> weighted = new LinkedHashMap<>();
        for (ShownCounts row : rows) {
            if (row.slot() > slots) {
                continue;
            }
            slotShown[row.slot() - 1] += row.shown();
            shown += row.shown();
            clicked += row.clicked();
            long[] c = perPair.computeIfAbsent(row.pair(), p -> new long[2]);
            c[0] += row.shown();
            c[1] += row.clicked();
            weighted.merge(row.pair(), row.weighted(), Double::sum);
        }
        if (shown == 0) {
            throw new IllegalArgumentException("the events index [" + options.eventsIndex() + "] has no impressions in "
                    + "the first " + slots + " positions: log each shown product as a [view] with the result list's "
                    + "[impression_id], its [position] (0-based) and the [query]");
        }
        if (clicked == 0) {
            throw new IllegalArgumentException("the events index [" + options.eventsIndex() + "] has " + shown
                    + " impressions but no click, cart or purchase logged with the [impression_id], [position] and "
                    + "[query] of the list it came from: there is nothing to learn relevance from");
        }
        long mostShown = perPair.values().stream().mapToLong(c -> c[0]).max().orElse(0);
        if (mostShown < options.minImpressions()) {
            throw new IllegalArgumentException("too few impressions in [" + options.eventsIndex() + "]: no (query, "
                    + "product) pair was shown [min_impressions] = " + options.minImpressions()
                    + " times in the first " + slots + " positions (the most shown was shown " + mostShown
                    + " times); log more searches or lower [min_impressions]");
        }
        double[] rates;
        Map<Shown.Pair, Double> topSlotValue = new LinkedHashMap<>();
        int iterations = 0;
        boolean converged = true;
        if (options.clickModel() == ClickModel.PBM) {
            PositionBasedModel.Fit fit =
                    PositionBasedModel.fit(rows, slots, options.maxIterations(), options.tolerance());
            rates = fit.propensities();
            topSlotValue.putAll(fit.relevance());
            iterations = fit.iterations();
            converged = fit.iterations() < options.maxIterations();
        } else {
            rates = Coec.clickThroughRates(rows, slots);
            double top = rates[0];
            Coec.compute(rows, slots, 1).forEach((pair, coec) -> topSlotValue.put(pair, coec * top));
        }
        List<Judgments.Rating> ratings = new ArrayList<>();
        long below = 0;
        Set<String> queries = new HashSet<>();
        double maxGain = Math.pow(2, options.maxGrade()) - 1;
        for (Map.Entry<Shown.Pair, long[]> e : perPair.entrySet()) {
            long impressions = e.getValue()[0], clicks = e.getValue()[1];
            if (impressions < options.minImpressions()) {
                below++;
                continue;
            }
            Double base = topSlotValue.get(e.getKey());
            if (base == null) {
                continue; // COEC: shown only in slots nobody clicks
            }
            double depth = clicks > 0 ? Math.max(1, weighted.get(e.getKey()) / clicks) : 1;
            double value = Math.min(1, base * depth);
            int grade = (int) Math.round(Math.log(1 + value * maxGain) / Math.log(2));
            ratings.add(new Judgments.Rating(
                    e.getKey().query(),
                    e.getKey().productId(),
                    Math.max(0, Math.min(options.maxGrade(), grade)),
                    value,
                    impressions,
                    clicks));
            queries.add(e.getKey().query());
        }
        ratings.sort(Comparator.comparing(Judgments.Rating::query)
                .thenComparing(
                        Comparator.comparingDouble(Judgments.Rating::value).reversed())
                .thenComparing(Judgments.Rating::productId));
        return new Judgments(
                options.clickModel(),
                rates,
                slotShown,
                iterations,
                converged,
                List.copyOf(ratings),
                new Judgments.Counts(shown, clicked, perPair.size(), queries.size(), below, unplacedClicks));
    }
}

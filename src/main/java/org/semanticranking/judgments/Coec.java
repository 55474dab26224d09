package org.semanticranking.judgments;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Clicks over expected clicks (COEC), as OpenSearch's Search Relevance Workbench computes it: each slot's click-through
 * rate over all the logs is what a product shown there is expected to get; a pair's COEC is its clicks over the sum of
 * those expectations for every time it was shown. Above 1: clicked more than its slots explain.
 */
public final class Coec {

    private Coec() {}

    /** Each slot's click-through rate over all the rows, index 0 for slot 1; 0 for a slot never shown. */
    public static double[] clickThroughRates(List<ShownCounts> rows, int slots) {
        double[] clicks = new double[slots];
        double[] shown = new double[slots];
        for (ShownCounts row : rows) {
            if (row.slot() <= slots) {
                shown[row.slot() - 1] += row.shown();
                clicks[row.slot() - 1] += row.clicked();
            }
        }
        double[] ctr = new double[slots];
        for (int k = 0; k < slots; k++) {
            ctr[k] = shown[k] == 0 ? 0 : clicks[k] / shown[k];
        }
        return ctr;
    }

    /**
     * Each pair shown at least {@code minImpressions} times in the first {@code slots} slots, with its COEC; pairs whose
     * expected clicks are 0 (shown only where nobody clicks) are left out.
     */
    public static Map<Shown.Pair, Double> compute(List<ShownCounts> rows, int slots, int minImpressions) {
        Map<Shown.Pair, Double> coec = new HashMap<>();
        QueryClicks.byQuery(rows, clickThroughRates(rows, slots))
                .forEach((query, clicks) -> clicks.byProduct().forEach((id, c) -> {
                    if (c.shown() >= minImpressions && c.expected() > 0) {
                        coec.put(new Shown.Pair(query, id), c.clicked() / c.expected());
                    }
                }));
        return coec;
    }
}

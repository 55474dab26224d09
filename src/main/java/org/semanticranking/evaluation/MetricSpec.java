package org.semanticranking.evaluation;

import java.util.List;
import java.util.Map;

/** One metric at a cut-off, written as in the request: {@code ndcg@10}, {@code mrr@10}, {@code precision@5}, {@code recall@100}, {@code judged@10}. */
public record MetricSpec(String name, int k) {

    static final List<String> NAMES = List.of("ndcg", "mrr", "precision", "recall", "judged");

    public static MetricSpec parse(String text) {
        int at = text.indexOf('@');
        String name = at < 0 ? text : text.substring(0, at);
        if (NAMES.contains(name) == false) {
            throw new IllegalArgumentException(
                    "unknown metric [" + text + "]; expected one of " + NAMES + " with @k, e.g. [ndcg@10]");
        }
        int k;
        try {
            k = at < 0 ? 10 : Integer.parseInt(text.substring(at + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metric [" + text + "]: k must be an integer");
        }
        if (k <= 0 || k > 10_000) {
            throw new IllegalArgumentException("metric [" + text + "]: k must be between 1 and 10000");
        }
        return new MetricSpec(name, k);
    }

    /**
     * @param threshold the grade from which a document counts as relevant (mrr, precision, recall)
     */
    public double compute(List<String> ranking, Map<String, Integer> grades, int threshold) {
        return switch (name) {
            case "ndcg" -> RankingMetrics.ndcgAt(ranking, grades, k);
            case "mrr" -> RankingMetrics.reciprocalRankAt(ranking, grades, k, threshold);
            case "precision" -> RankingMetrics.precisionAt(ranking, grades, k, threshold);
            case "recall" -> RankingMetrics.recallAt(ranking, grades, k, threshold);
            case "judged" -> RankingMetrics.judgedAt(ranking, grades, k);
            default -> throw new IllegalStateException(name);
        };
    }

    @Override
    public String toString() {
        return name + "@" + k;
    }
}

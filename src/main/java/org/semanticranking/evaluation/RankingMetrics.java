package org.semanticranking.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Ranking quality of one result list against graded judgments, as the relevance report (and later
 * the evaluation API) computes it. Gains are {@code 2^grade - 1}; a hit without a judgment counts as
 * grade 0 (unknown, not irrelevant: report {@link #judgedAt} beside the rest).
 */
public final class RankingMetrics {

    private RankingMetrics() {}

    /** nDCG@k; the ideal ranking is every judged document of the query, best grades first. 0 when no judgment has gain. */
    public static double ndcgAt(List<String> ranking, Map<String, Integer> grades, int k) {
        double ideal =
                dcg(grades.values().stream().sorted(Comparator.reverseOrder()).toList(), k);
        if (ideal == 0) {
            return 0;
        }
        List<Integer> gains = new ArrayList<>();
        for (String id : ranking) {
            gains.add(grades.getOrDefault(id, 0));
        }
        return dcg(gains, k) / ideal;
    }

    /**
     * Whether any judgment of the query has gain (a grade above 0). nDCG is 0 for a query without one whatever
     * the ranking, so evaluation tools differ: some average over every query, others (trec_eval's convention
     * for topics without relevant documents) over those with gain only. Reports should say which.
     */
    public static boolean hasGain(Map<String, Integer> grades) {
        return grades.values().stream().anyMatch(g -> g > 0);
    }

    /** nDCG@k over the judged hits only: unjudged hits are removed from the ranking first (condensed list). */
    public static double judgedOnlyNdcgAt(List<String> ranking, Map<String, Integer> grades, int k) {
        return ndcgAt(ranking.stream().filter(grades::containsKey).toList(), grades, k);
    }

    private static double dcg(List<Integer> grades, int k) {
        double sum = 0;
        for (int i = 0; i < Math.min(k, grades.size()); i++) {
            sum += (Math.pow(2, grades.get(i)) - 1) / (Math.log(i + 2) / Math.log(2));
        }
        return sum;
    }

    /** 1 / rank of the first hit graded at least {@code threshold} within the top k, else 0. */
    public static double reciprocalRankAt(List<String> ranking, Map<String, Integer> grades, int k, int threshold) {
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            if (grades.getOrDefault(ranking.get(i), 0) >= threshold) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    /** Share of the documents graded at least {@code threshold} that are in the top k; 0 when there are none. */
    public static double recallAt(List<String> ranking, Map<String, Integer> grades, int k, int threshold) {
        long relevant = grades.values().stream().filter(g -> g >= threshold).count();
        if (relevant == 0) {
            return 0;
        }
        long found = ranking.stream()
                .limit(k)
                .filter(id -> grades.getOrDefault(id, 0) >= threshold)
                .count();
        return (double) found / relevant;
    }

    /** Share of the top k positions (k, as in the usual definition) holding a document graded at least {@code threshold}. */
    public static double precisionAt(List<String> ranking, Map<String, Integer> grades, int k, int threshold) {
        long found = ranking.stream()
                .limit(k)
                .filter(id -> grades.getOrDefault(id, 0) >= threshold)
                .count();
        return (double) found / k;
    }

    /** Share of the top k hits that have a judgment (k, or fewer when fewer hits came back). */
    public static double judgedAt(List<String> ranking, Map<String, Integer> grades, int k) {
        int n = Math.min(k, ranking.size());
        if (n == 0) {
            return 0;
        }
        return (double) ranking.stream().limit(k).filter(grades::containsKey).count() / n;
    }
}

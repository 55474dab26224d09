package org.semanticranking.evaluation;

import org.elasticsearch.test.ESTestCase;

import java.util.List;
import java.util.Map;

public class RankingMetricsTests extends ESTestCase {

    private static final Map<String, Integer> GRADES = Map.of("a", 3, "b", 2, "c", 0, "d", 1);

    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }

    public void testNdcgByHand() {
        // ranking: c(0) a(3) x(unjudged) b(2); ideal: a(3) b(2) d(1) c(0)
        double dcg = 0 / log2(2) + 7 / log2(3) + 0 / log2(4) + 3 / log2(5);
        double ideal = 7 / log2(2) + 3 / log2(3) + 1 / log2(4);
        assertEquals(dcg / ideal, RankingMetrics.ndcgAt(List.of("c", "a", "x", "b"), GRADES, 10), 1e-12);
        assertEquals(1.0, RankingMetrics.ndcgAt(List.of("a", "b", "d", "c"), GRADES, 10), 1e-12);
        assertEquals(0.0, RankingMetrics.ndcgAt(List.of("a"), Map.of("a", 0), 10), 1e-12);
    }

    public void testCutOffAtK() {
        assertEquals(0.0, RankingMetrics.ndcgAt(List.of("c", "a"), GRADES, 1), 1e-12);
        assertEquals(0.0, RankingMetrics.reciprocalRankAt(List.of("c", "a"), GRADES, 1, 2), 1e-12);
        assertEquals(0.5, RankingMetrics.reciprocalRankAt(List.of("c", "a"), GRADES, 10, 2), 1e-12);
    }

    public void testJudgedOnlyDropsUnjudgedHits() {
        assertEquals(
                RankingMetrics.ndcgAt(List.of("c", "a", "b"), GRADES, 10),
                RankingMetrics.judgedOnlyNdcgAt(List.of("c", "x", "a", "y", "b"), GRADES, 10),
                1e-12);
    }

    public void testRecallAndJudgedShare() {
        assertEquals(0.5, RankingMetrics.recallAt(List.of("a", "x", "c"), GRADES, 100, 2), 1e-12);
        assertEquals(2.0 / 3, RankingMetrics.judgedAt(List.of("a", "x", "c"), GRADES, 10), 1e-12);
        assertEquals(0.0, RankingMetrics.judgedAt(List.of(), GRADES, 10), 1e-12);
    }

    public void testHasGainIsFalseOnlyWhenEveryGradeIsZero() {
        assertTrue(RankingMetrics.hasGain(GRADES));
        assertFalse(RankingMetrics.hasGain(Map.of("a", 0, "b", 0)));
        assertFalse(RankingMetrics.hasGain(Map.of()));
        assertTrue(RankingMetrics.hasGain(Map.of("a", 0, "b", 1)));
    }
}

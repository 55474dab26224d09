package org.semanticranking.judgments;

import org.elasticsearch.common.Strings;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.xcontent.ToXContent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * From counts to grades: the grade whose gain matches the debiased click probability, carts and purchases counting
 * for more, the minimum impressions, and a 400 with the reason for logs that cannot be graded.
 */
public class ImplicitJudgmentsGradingTests extends ESTestCase {

    static JudgmentOptions options(Map<String, Object> body) {
        return JudgmentOptions.parse("_from_events", body, "interactions");
    }

    /** Clicks simulated from human-like grades: a grade-g product is clicked when examined with (2^g - 1) / 7. */
    public void testTheGradesOfClicksThatFollowGradesWithPositionBiasAreTheGrades() {
        Random random = new Random(randomLong());
        double[] theta = new double[10];
        for (int k = 0; k < 10; k++) {
            theta[k] = 1.0 / (k + 1);
        }
        List<Shown> rows = new ArrayList<>();
        Map<String, Integer> truth = new java.util.HashMap<>();
        for (int q = 0; q < 100; q++) {
            List<String> products = new ArrayList<>();
            for (int d = 0; d < 10; d++) {
                String id = "q" + q + "-" + d;
                products.add(id);
                truth.put(id, random.nextInt(4));
            }
            // 600 random pages a query: the top slot's clicks in the bottom one number about 1,800, enough for 10%
            for (int i = 0; i < 600; i++) {
                java.util.Collections.shuffle(products, random);
                for (int k = 0; k < 10; k++) {
                    double relevance = (Math.pow(2, truth.get(products.get(k))) - 1) / 7;
                    rows.add(new Shown(
                            "q" + q,
                            products.get(k),
                            k + 1,
                            random.nextDouble() < theta[k] && random.nextDouble() < relevance));
                }
            }
        }
        Judgments judgments = ImplicitJudgments.compute(
                ShownCounts.of(rows), options(Map.of("max_iterations", 3000, "tolerance", 1e-7)), 0);
        for (int k = 0; k < 10; k++) {
            assertThat("position " + k, judgments.slotRates()[k], closeTo(theta[k], 0.1 * theta[k]));
        }
        long right = judgments.ratings().stream()
                .filter(r -> r.grade() == truth.get(r.productId()))
                .count();
        assertThat(judgments.ratings().size(), equalTo(1000));
        assertTrue("grades recovered: " + right + " of 1000", right >= 900);
        Judgments coec = ImplicitJudgments.compute(ShownCounts.of(rows), options(Map.of("click_model", "coec")), 0);
        long coecRight = coec.ratings().stream()
                .filter(r -> r.grade() == truth.get(r.productId()))
                .count();
        assertTrue("random rankings: COEC grades as well, " + coecRight, coecRight >= 850);
    }

    public void testCartsAndPurchasesCountForMoreThanTheirClick() {
        Shown.Pair clickedOnly = new Shown.Pair("q", "a"), bought = new Shown.Pair("q", "b");
        List<ShownCounts> rows = List.of(
                new ShownCounts(clickedOnly, 1, 20, 4, 4),
                new ShownCounts(bought, 1, 20, 4, 4 + 4 * 5.0),
                new ShownCounts(new Shown.Pair("q", "c"), 2, 20, 1, 1));
        Judgments j = ImplicitJudgments.compute(rows, options(Map.of("click_model", "coec")), 0);
        Map<String, Integer> grades = j.gradesByQuery().get("q");
        // clicked a fifth of the times it is on top: log2(1 + 0.2 * 7) = 1.26, grade 1; every click bought: grade 3
        assertThat(grades.get("a"), equalTo(1));
        assertThat(grades.get("b"), equalTo(3));
        assertEquals(1.0, j.ratings().get(0).value(), 1e-9);
    }

    public void testPairsUnderTheMinimumAreLeftOutAndCounted() {
        List<ShownCounts> rows = List.of(
                new ShownCounts(new Shown.Pair("q", "a"), 1, 10, 3, 3),
                new ShownCounts(new Shown.Pair("q", "b"), 2, 4, 1, 1),
                new ShownCounts(new Shown.Pair("r", "c"), 1, 3, 0, 0));
        Judgments j = ImplicitJudgments.compute(rows, options(Map.of("min_impressions", 5)), 0);
        assertThat(j.ratings().size(), equalTo(1));
        assertThat(j.counts().belowMinimum(), equalTo(2L));
        assertThat(j.counts().queries(), equalTo(1L));
        String json = Strings.toString(j, new ToXContent.MapParams(Map.of("query_param", "text")));
        assertThat(json, containsString("\"requests\":[{\"id\":\"q\",\"params\":{\"text\":\"q\"}}]"));
        assertThat(json, containsString("\"ratings\":[{\"request\":\"q\",\"_id\":\"a\",\"grade\":"));
        assertThat(json, containsString("\"propensities\":[{\"position\":0,\"propensity\":1.0,\"impressions\":13}"));
    }

    public void testLogsThatCannotBeGradedAreRefusedWithTheReason() {
        JudgmentOptions defaults = options(Map.of());
        assertThat(
                expectThrows(IllegalArgumentException.class, () -> ImplicitJudgments.compute(List.of(), defaults, 0))
                        .getMessage(),
                containsString("has no impressions in the first 10 positions"));
        List<ShownCounts> noClicks = List.of(new ShownCounts(new Shown.Pair("q", "a"), 1, 50, 0, 0));
        assertThat(
                expectThrows(IllegalArgumentException.class, () -> ImplicitJudgments.compute(noClicks, defaults, 7))
                        .getMessage(),
                containsString("no click, cart or purchase"));
        List<ShownCounts> few = List.of(new ShownCounts(new Shown.Pair("q", "a"), 1, 3, 1, 1));
        assertThat(
                expectThrows(IllegalArgumentException.class, () -> ImplicitJudgments.compute(few, defaults, 0))
                        .getMessage(),
                containsString("too few impressions in [interactions]: no (query, product) pair was shown "
                        + "[min_impressions] = 10 times in the first 10 positions (the most shown was shown 3 times)"));
    }

    public void testOptionsAreCheckedWithTheirNames() {
        assertThat(
                expectThrows(IllegalArgumentException.class, () -> options(Map.of("click_model", "cascade")))
                        .getMessage(),
                equalTo("[_from_events] unknown [click_model] [cascade]; expected one of [pbm, coec]"));
        assertThat(
                expectThrows(IllegalArgumentException.class, () -> options(Map.of("slots", 0)))
                        .getMessage(),
                containsString("[slots] must be an integer between 1 and 100 but was [0]"));
        assertThat(
                expectThrows(IllegalArgumentException.class, () -> options(Map.of("min_impression", 3)))
                        .getMessage(),
                containsString("unknown parameter [min_impression]"));
        assertThat(options(Map.of()).eventsIndex(), equalTo("interactions"));
        assertThat(options(Map.of("index", "logs")).eventsIndex(), equalTo("logs"));
    }
}

package org.semanticranking.integ;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's tour on the real node, as {@code ./demo.sh} takes it: {@code demo/run.py} sends every request of
 * {@code demo/dev-tools.txt} in order (it stops at the first answer that is not 2xx), and what it prints tells the
 * story the README promises: each hybrid hit's breakdown, the price understood from the words, a model trained on the
 * logged events, alice's search reordered by her taste while another shopper's is reordered by theirs, and BM25
 * against the hybrid on the judged demo queries.
 */
class DemoIT {

    private static RealNode node;

    @BeforeAll
    static void startNode() throws Exception {
        node = RealNode.installAndStart("demo", 9261);
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    void theTourRunsAndTellsItsStory() throws Exception {
        String output = RealNode.run(List.of("python3", "demo/run.py", "http://127.0.0.1:9261", "demo/dev-tools.txt"));
        List<String> lines = Arrays.asList(output.split("\n"));
        assertTrue(output.contains("indexed 62 documents"), output);
        assertTrue(output.contains("a 384-dim vector"), output);
        // the hybrid's table: every hit ranked with both sides
        String hybrid = lineAfter(lines, "\"headphones for running\"", 2);
        assertTrue(hybrid.trim().startsWith("1 "), hybrid);
        // intent: every hit of the filtered search understood the price, and the brand was read from the words
        List<String> underPrice = linesAfter(lines, "\"wireless headphones under $150\"", 3);
        underPrice.forEach(l -> assertTrue(l.contains("understood: price<=150"), l));
        assertTrue(lineAfter(lines, "\"black aurelo headphones\"", 1).contains("brand:Aurelo"), output);
        assertTrue(output.contains("25 shoppers"), output);
        assertTrue(output.contains("AUC"), output);
        // the same search for everyone, for alice (sporty clicks) and for a home-audio shopper: three orders
        String everyone = lineAfter(lines, "alice searches \"headphones\"", 1);
        String alice = lineAfter(lines, "then with personalized_blend for alice", 2);
        String control = lineAfter(lines, "The control:", 2);
        assertTrue(alice.contains("Running") || alice.contains("Sport"), "alice's first hit is sporty: " + alice);
        assertNotEquals(title(alice), title(control), "another shopper's profile gives another order");
        assertTrue(everyone.contains("1. "), everyone);
        // one row per judged query between the table's header and its mean
        int header = -1, mean = -1;
        for (int i = 0; i < lines.size(); i++) {
            header = lines.get(i).matches("\\s+query\\s+BM25\\s+hybrid\\s*") ? i : header;
            mean = lines.get(i).contains("mean nDCG@10") ? i : mean;
        }
        assertEquals(10, mean - header - 1, output);
    }

    private static String lineAfter(List<String> lines, String marker, int after) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return lines.get(i + after);
            }
        }
        throw new AssertionError("no line [" + marker + "] in the demo's output:\n" + String.join("\n", lines));
    }

    private static List<String> linesAfter(List<String> lines, String marker, int count) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return lines.subList(i + 1, i + 1 + count);
            }
        }
        throw new AssertionError("no line [" + marker + "] in the demo's output:\n" + String.join("\n", lines));
    }

    /** The title column of a blend table's row. */
    private static String title(String row) {
        return row.trim().substring(row.trim().indexOf(' ')).trim().substring(0, 30);
    }
}

package org.semanticranking.evaluation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchTemplateTests {

    @Test
    void wholeStringPlaceholdersTakeTheJsonValueAndInnerOnesTheEscapedText() {
        SearchTemplate t = SearchTemplate.of(
            Map.of("size", "{{n}}", "query", Map.of("match", Map.of("title", "cheap {{q}}!")), "ids", "{{list}}")
        );
        assertEquals(Set.of("n", "q", "list"), t.placeholders());
        String json = t.render("r1", Map.of("n", 5, "q", "a \"quoted\" \\ word", "list", List.of("a", "b")));
        assertTrue(json.contains("\"size\":5"), json);
        assertTrue(json.contains("\"title\":\"cheap a \\\"quoted\\\" \\\\ word!\""), json);
        assertTrue(json.contains("\"ids\":[\"a\",\"b\"]"), json);
    }

    @Test
    void aValueCannotBreakOutOfItsString() {
        SearchTemplate t = SearchTemplate.of(Map.of("query", Map.of("match", Map.of("title", "{{q}}"))));
        String json = t.render("r1", Map.of("q", "\"},\"size\":10000,\"x\":{\""));
        assertTrue(json.startsWith("{\"query\":{\"match\":{\"title\":\"\\\"},"), json);
        // the injected text stays inside the title string: the body has no "size" key of its own
        assertTrue(json.contains("\"size\\\":10000") && json.contains("\"size\":") == false, json);
    }

    @Test
    void aMissingValueNamesThePlaceholderAndTheRequest() {
        SearchTemplate t = SearchTemplate.of(Map.of("query", Map.of("term", Map.of("user", "{{user_id}}"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.render("q7", Map.of()));
        assertEquals("request [q7] gives no value for the placeholder [{{user_id}}] of the template", e.getMessage());
    }

    @Test
    void metricsParseAndCompute() {
        assertEquals(new MetricSpec("ndcg", 10), MetricSpec.parse("ndcg@10"));
        assertEquals(new MetricSpec("mrr", 10), MetricSpec.parse("mrr"));
        assertThrows(IllegalArgumentException.class, () -> MetricSpec.parse("ndcg@-1"));
        assertThrows(IllegalArgumentException.class, () -> MetricSpec.parse("ndcg@x"));
        Map<String, Integer> grades = Map.of("a", 2, "b", 0, "c", 1);
        assertEquals(1.0 / 4, MetricSpec.parse("precision@4").compute(List.of("b", "a", "x"), grades, 2), 1e-12);
        assertEquals(2.0 / 4, MetricSpec.parse("precision@4").compute(List.of("b", "a", "c"), grades, 1), 1e-12);
    }
}

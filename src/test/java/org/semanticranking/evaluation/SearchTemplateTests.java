package org.semanticranking.evaluation;

import org.elasticsearch.test.ESTestCase;

import java.util.List;
import java.util.Map;
import java.util.Set;

public class SearchTemplateTests extends ESTestCase {

    public void testWholeStringPlaceholdersTakeTheJsonValueAndInnerOnesTheEscapedText() {
        SearchTemplate t = SearchTemplate.of(
                Map.of("size", "{{n}}", "query", Map.of("match", Map.of("title", "cheap {{q}}!")), "ids", "{{list}}"));
        assertEquals(Set.of("n", "q", "list"), t.placeholders());
        String json = t.render("r1", Map.of("n", 5, "q", "a \"quoted\" \\ word", "list", List.of("a", "b")));
        assertTrue(json, json.contains("\"size\":5"));
        assertTrue(json, json.contains("\"title\":\"cheap a \\\"quoted\\\" \\\\ word!\""));
        assertTrue(json, json.contains("\"ids\":[\"a\",\"b\"]"));
    }

    public void testAValueCannotBreakOutOfItsString() {
        SearchTemplate t = SearchTemplate.of(Map.of("query", Map.of("match", Map.of("title", "{{q}}"))));
        String json = t.render("r1", Map.of("q", "\"},\"size\":10000,\"x\":{\""));
        assertTrue(json, json.startsWith("{\"query\":{\"match\":{\"title\":\"\\\"},"));
        // the injected text stays inside the title string: the body has no "size" key of its own
        assertTrue(json, json.contains("\"size\\\":10000") && json.contains("\"size\":") == false);
    }

    public void testAMissingValueNamesThePlaceholderAndTheRequest() {
        SearchTemplate t = SearchTemplate.of(Map.of("query", Map.of("term", Map.of("user", "{{user_id}}"))));
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> t.render("q7", Map.of()));
        assertEquals("request [q7] gives no value for the placeholder [{{user_id}}] of the template", e.getMessage());
    }

    public void testMetricsParseAndCompute() {
        assertEquals(new MetricSpec("ndcg", 10), MetricSpec.parse("ndcg@10"));
        assertEquals(new MetricSpec("mrr", 10), MetricSpec.parse("mrr"));
        expectThrows(IllegalArgumentException.class, () -> MetricSpec.parse("ndcg@-1"));
        expectThrows(IllegalArgumentException.class, () -> MetricSpec.parse("ndcg@x"));
        Map<String, Integer> grades = Map.of("a", 2, "b", 0, "c", 1);
        assertEquals(1.0 / 4, MetricSpec.parse("precision@4").compute(List.of("b", "a", "x"), grades, 2), 1e-12);
        assertEquals(2.0 / 4, MetricSpec.parse("precision@4").compute(List.of("b", "a", "c"), grades, 1), 1e-12);
    }
}

package org.semanticranking.ranking.feature;

import org.semanticranking.evaluation.SearchTemplate;

import java.util.Map;
import java.util.Set;

/**
 * The text a feature reads from the request (a vector's, a term match's, a query-level measure's): {@code {{query}}}
 * unless the feature says otherwise, filled from the request's {@code params}.
 */
public final class QueryText {

    static final String DEFAULT = "{{query}}";

    private QueryText() {}

    static Set<String> placeholders(String text) {
        return SearchTemplate.placeholdersOf(text);
    }

    public static String fill(String feature, String text, Map<String, Object> params) {
        return SearchTemplate.fillText(
                text,
                params,
                name -> new IllegalArgumentException("[learned_rank] feature [" + feature + "] reads [{{" + name
                        + "}}], which [params] does not give"));
    }
}

package org.semanticranking.retriever;

import org.elasticsearch.search.builder.SearchSourceBuilder;

/**
 * Before a search runs (a {@code SearchSourceFilter}), sends a {@code semantic_hybrid} the compound way when the search beside it asks for what one
 * search would not give: {@code collapse} (Elasticsearch's rank framework runs the sub-searches uncollapsed) or
 * {@code suggest} (which it refuses). The retriever cannot see its search's other sections, and Elasticsearch decides
 * whether to open a point in time before it rewrites anything, so the choice is made here.
 */
public final class HybridWay {

    private HybridWay() {}

    /** Run on every search's body before it starts (a {@code SearchSourceFilter}). */
    public static void choose(SearchSourceBuilder source) {
        if (source.retriever() instanceof SemanticHybridRetrieverBuilder hybrid
                && hybrid.isCompound() == false
                && (source.collapse() != null
                        || (source.suggest() != null
                                && source.suggest().getSuggestions().isEmpty() == false))) {
            source.retriever(hybrid.theCompoundWay());
        }
    }
}

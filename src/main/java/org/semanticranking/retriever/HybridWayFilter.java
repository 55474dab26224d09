package org.semanticranking.retriever;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.TransportSearchAction;
import org.elasticsearch.action.support.ActionFilterChain;
import org.elasticsearch.action.support.MappedActionFilter;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.tasks.Task;

/**
 * Before a search runs, sends a {@code semantic_hybrid} the compound way when the search beside it asks for what one
 * search would not give: {@code collapse} (Elasticsearch's rank framework runs the sub-searches uncollapsed) or
 * {@code suggest} (which it refuses). The retriever cannot see its search's other sections, and Elasticsearch decides
 * whether to open a point in time before it rewrites anything, so the choice is made here.
 */
public final class HybridWayFilter implements MappedActionFilter {

    @Override
    public String actionName() {
        return TransportSearchAction.NAME;
    }

    @Override
    public <Request extends ActionRequest, Response extends ActionResponse> void apply(
            Task task,
            String action,
            Request request,
            ActionListener<Response> listener,
            ActionFilterChain<Request, Response> chain) {
        if (request instanceof SearchRequest search && search.source() != null) {
            choose(search.source());
        }
        chain.proceed(task, action, request, listener);
    }

    static void choose(SearchSourceBuilder source) {
        if (source.retriever() instanceof SemanticHybridRetrieverBuilder hybrid
                && hybrid.isCompound() == false
                && (source.collapse() != null
                        || (source.suggest() != null
                                && source.suggest().getSuggestions().isEmpty() == false))) {
            source.retriever(hybrid.theCompoundWay());
        }
    }
}

package org.semanticranking.common;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.TransportSearchAction;
import org.elasticsearch.action.support.ActionFilterChain;
import org.elasticsearch.action.support.MappedActionFilter;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.tasks.Task;

import java.util.function.Consumer;

/**
 * Adjusts a search's body before Elasticsearch starts on it (every search: the REST API's, a multi-search's items, the
 * plugin's own jobs'): what has to see the whole body, which a query, rescorer or retriever parsed alone cannot.
 */
public final class SearchSourceFilter implements MappedActionFilter {

    private final Consumer<SearchSourceBuilder> adjustment;

    /** @param adjustment changes the body in place (it may replace its retriever or rescorers) */
    public SearchSourceFilter(Consumer<SearchSourceBuilder> adjustment) {
        this.adjustment = adjustment;
    }

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
            adjustment.accept(search.source());
        }
        chain.proceed(task, action, request, listener);
    }
}

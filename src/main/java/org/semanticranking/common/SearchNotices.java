package org.semanticranking.common;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.search.TransportMultiSearchAction;
import org.elasticsearch.action.search.TransportSearchAction;
import org.elasticsearch.action.support.ActionFilterChain;
import org.elasticsearch.action.support.MappedActionFilter;
import org.elasticsearch.common.logging.HeaderWarning;
import org.elasticsearch.common.util.concurrent.ThreadContext;
import org.elasticsearch.tasks.Task;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Warnings that the coordinating node's rewrite decides on (a hybrid search falling back to its lexical side)
 * and that must be in the response whichever thread finishes the search.
 * <p>
 * A response header added during the rewrite is not enough: Elasticsearch hands the rewritten request to the
 * next step in the thread context of whichever thread got there first, so when an encode completes before the
 * search has subscribed to it (a failure answered at once, a cached result) the header stays behind in a context
 * that no later step sees, and a response lacked the warning a few times in a hundred. Instead this filter gives
 * each outermost search (or multi search) a collector in a transient of its thread context, which every
 * descendant context shares by reference, wherever it runs on this node; the rewrite records into it and the
 * filter adds the warnings on the thread that completes the search, just before the response is sent.
 */
public final class SearchNotices implements MappedActionFilter {

    static final String TRANSIENT = "_semantic_ranking_search_notices";

    private final String actionName;
    private final Supplier<ThreadContext> threadContext;

    private SearchNotices(String actionName, Supplier<ThreadContext> threadContext) {
        this.actionName = actionName;
        this.threadContext = threadContext;
    }

    /** The filters for {@code _search} and {@code _msearch}; the thread context is read when a request arrives. */
    public static SearchNotices[] filters(Supplier<ThreadContext> threadContext) {
        return new SearchNotices[] {
            new SearchNotices(TransportSearchAction.NAME, threadContext),
            new SearchNotices(TransportMultiSearchAction.NAME, threadContext)
        };
    }

    /**
     * Where a warning decided now must go: the collector of the search this thread context belongs to, or, outside
     * any search (a rewrite for another API), straight into the current response headers.
     */
    public static Collector current(ThreadContext context) {
        Collector collector = context.getTransient(TRANSIENT);
        return collector != null ? collector : HeaderWarning::addWarning;
    }

    @Override
    public String actionName() {
        return actionName;
    }

    @Override
    public <Request extends ActionRequest, Response extends ActionResponse> void apply(
            Task task,
            String action,
            Request request,
            ActionListener<Response> listener,
            ActionFilterChain<Request, Response> chain) {
        ThreadContext context = threadContext.get();
        if (context.getTransient(TRANSIENT) != null) {
            // a search inside a search (a retriever's inner searches, an msearch's items): the outer one reports
            chain.proceed(task, action, request, listener);
            return;
        }
        Collected collected = new Collected();
        // the collector lives only in the contexts descending from this request, not in the caller's
        try (ThreadContext.StoredContext ignored = context.newStoredContext()) {
            context.putTransient(TRANSIENT, collected);
            chain.proceed(task, action, request, ActionListener.runBefore(listener, collected::addToResponse));
        }
    }

    /** Records a warning for the response. */
    @FunctionalInterface
    public interface Collector {
        void warn(String message);
    }

    private static final class Collected implements Collector {
        private final Set<String> warnings = ConcurrentHashMap.newKeySet();

        @Override
        public void warn(String message) {
            warnings.add(message);
        }

        void addToResponse() {
            warnings.forEach(HeaderWarning::addWarning);
        }
    }
}

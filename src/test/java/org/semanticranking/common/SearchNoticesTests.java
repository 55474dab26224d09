package org.semanticranking.common;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.TransportSearchAction;
import org.elasticsearch.action.support.ActionFilterChain;
import org.elasticsearch.common.logging.HeaderWarning;
import org.elasticsearch.test.ESTestCase;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.sameInstance;

/**
 * A warning decided anywhere in a search reaches the response, read on the thread that completes the search, even
 * when the step that decided it ran in a context that the completing thread does not descend from.
 */
public class SearchNoticesTests extends ESTestCase {

    private final SearchNotices search = SearchNotices.filters(() -> threadContext)[0];

    public void testAWarningRecordedOnOneThreadIsAddedOnTheThreadThatCompletesTheSearch() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<List<String>> sentWith = new CompletableFuture<>();
            ActionListener<ActionResponse> channel = ActionListener.wrap(
                    r -> sentWith.complete(warnings()), // what a REST channel reads when it sends the response
                    sentWith::completeExceptionally);
            CompletableFuture<Void> recorded = new CompletableFuture<>();
            search.apply(
                    null,
                    TransportSearchAction.NAME,
                    new SearchRequest(),
                    channel,
                    (task, action, request, listener) -> {
                        // the rewrite: records the fallback in a context of its own, whose response headers nothing
                        // later sees
                        threads.execute(threadContext.preserveContext(() -> {
                            SearchNotices.current(threadContext).warn("its semantic side could not be encoded");
                            recorded.complete(null);
                        }));
                        // the search completes elsewhere, in a context captured before the warning was decided
                        Runnable complete =
                                threadContext.preserveContext(() -> listener.onResponse(ActionResponse.Empty.INSTANCE));
                        threads.execute(() -> {
                            recorded.join();
                            complete.run();
                        });
                    });
            assertNull(
                    "the collector does not leak into the caller's context",
                    threadContext.getTransient(SearchNotices.TRANSIENT));
            assertThat(sentWith.get(30, TimeUnit.SECONDS), contains("its semantic side could not be encoded"));
        } finally {
            threads.shutdownNow();
        }
    }

    public void testAnInnerSearchReportsThroughTheOuterOne() throws Exception {
        AtomicReference<ActionListener<ActionResponse>> innerListener = new AtomicReference<>();
        ActionListener<ActionResponse> innerCaller = ActionListener.noop();
        CompletableFuture<List<String>> sentWith = new CompletableFuture<>();
        search.apply(
                null,
                TransportSearchAction.NAME,
                new SearchRequest(),
                ActionListener.wrap(r -> sentWith.complete(warnings()), sentWith::completeExceptionally),
                (task, action, request, outerListener) -> {
                    ActionFilterChain<SearchRequest, ActionResponse> innerChain = (t, a, r, l) -> {
                        innerListener.set(l);
                        SearchNotices.current(threadContext).warn("from the inner search");
                        l.onResponse(ActionResponse.Empty.INSTANCE);
                    };
                    search.apply(null, TransportSearchAction.NAME, new SearchRequest(), innerCaller, innerChain);
                    outerListener.onResponse(ActionResponse.Empty.INSTANCE);
                });
        assertThat("the inner search's listener is not wrapped", innerListener.get(), sameInstance(innerCaller));
        assertThat(sentWith.get(30, TimeUnit.SECONDS), hasItem("from the inner search"));
    }

    public void testOutsideASearchTheWarningGoesStraightToTheResponseHeaders() {
        SearchNotices.current(threadContext).warn("outside any search");
        assertWarnings("outside any search");
    }

    private List<String> warnings() {
        return threadContext.getResponseHeaders().getOrDefault("Warning", List.of()).stream()
                .map(w -> HeaderWarning.extractWarningValueFromWarningHeader(w, false))
                .toList();
    }
}

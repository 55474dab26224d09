package org.semanticranking.rescore;

import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.search.builder.SearchSourceBuilder;

import static org.elasticsearch.action.ValidateActions.addValidationError;

/**
 * The check both rescorers make of a top-level rescore: a rescorer that re-orders its window must cover the page, or
 * the page's tail would mix rescored and first-pass scores. Inside a retriever the retriever's window is the page.
 */
public final class RescoreWindows {

    private RescoreWindows() {}

    /**
     * The error (added to {@code e}) when the window is smaller than {@code from + size}; {@code scoreKind} names
     * what hits outside the window lack ("learned", "blended").
     */
    public static ActionRequestValidationException coversPage(
            String rescorer,
            int window,
            SearchSourceBuilder source,
            String scoreKind,
            ActionRequestValidationException e) {
        int from = Math.max(0, source.from());
        int size = source.size() < 0 ? 10 : source.size();
        if (source.retriever() == null && from + size > window) {
            return addValidationError(
                    "[" + rescorer + "] window_size [" + window + "] must be at least from + size [" + (from + size)
                            + "]: hits outside the window have no " + scoreKind + " score to rank them by",
                    e);
        }
        return e;
    }
}

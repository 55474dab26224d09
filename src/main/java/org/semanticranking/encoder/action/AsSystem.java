package org.semanticranking.encoder.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ContextPreservingActionListener;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.util.concurrent.ThreadContext;

/**
 * Runs a local helper action outside the caller's security context, and hands the answer back in it. Only for
 * actions that read no data (encoding a text): with security on, a search user would otherwise need a
 * privilege over a plugin-internal action just to search.
 */
public final class AsSystem {

    private AsSystem() {}

    public static <Request extends ActionRequest, Response extends ActionResponse> void execute(
            Client client, ActionType<Response> action, Request request, ActionListener<Response> listener) {
        ThreadContext threadContext = client.threadPool().getThreadContext();
        ActionListener<Response> inCallersContext =
                ContextPreservingActionListener.wrapPreservingContext(listener, threadContext);
        try (ThreadContext.StoredContext ignored = threadContext.stashContext()) {
            client.execute(action, request, inCallersContext);
        }
    }
}

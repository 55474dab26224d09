package org.semanticranking.encoder.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.query.QueryRewriteAsyncAction;
import org.semanticranking.common.SearchNotices;

import java.util.Arrays;
import java.util.Objects;

/**
 * The encode of a search's query text during its rewrite on the coordinating node, deduplicated within the request
 * like Elasticsearch's own query vector builders: a {@code semantic_intent} query and a {@code personalized_blend} of
 * the same text, field and model register it once and get one encode. With no model named, the model is the one that
 * embedded the field.
 */
public final class EncodeQueryAsyncAction extends QueryRewriteAsyncAction<EncodeQueryResponse, EncodeQueryAsyncAction> {

    private final String text;
    private final String model;
    private final String[] indices;
    private final String field;
    private final boolean fallbackAllowed;

    /** @param fallbackAllowed the query allows the lexical fallback (a {@code semantic_hybrid}'s semantic side) */
    public EncodeQueryAsyncAction(String text, String model, String[] indices, String field, boolean fallbackAllowed) {
        this.text = text;
        this.model = model;
        this.indices = indices;
        this.field = field;
        this.fallbackAllowed = fallbackAllowed;
    }

    @Override
    protected void execute(Client client, ActionListener<EncodeQueryResponse> listener) {
        // the search's own collector, taken before the encode runs outside the caller's context
        SearchNotices.Collector notices =
                SearchNotices.current(client.threadPool().getThreadContext());
        AsSystem.execute(
                client,
                EncodeQueryAction.INSTANCE,
                new EncodeQueryRequest(model, text, indices, field, fallbackAllowed),
                listener.map(encoded -> {
                    if (encoded.vector() == null) {
                        notices.warn(fallbackWarning(encoded.failure()));
                    }
                    return encoded;
                }));
    }

    /** What the search answers with when its semantic side could not be encoded. */
    public static String fallbackWarning(String failure) {
        return "[semantic_hybrid] its semantic side could not be encoded (" + failure
                + "): these results come from the lexical side alone";
    }

    @Override
    public int doHashCode() {
        return Objects.hash(text, model, Arrays.hashCode(indices), field, fallbackAllowed);
    }

    @Override
    public boolean doEquals(EncodeQueryAsyncAction other) {
        return text.equals(other.text)
                && Objects.equals(model, other.model)
                && Arrays.equals(indices, other.indices)
                && field.equals(other.field)
                && fallbackAllowed == other.fallbackAllowed;
    }
}

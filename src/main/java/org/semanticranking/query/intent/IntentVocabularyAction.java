package org.semanticranking.query.intent;

import org.elasticsearch.action.ActionType;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.semanticranking.common.RewriteActions;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The vocabularies of keyword fields (brands, colours, types) in the searched indices ({@link TransportIntentVocabularyAction}).
 * Local only: used by {@code semantic_intent} during its rewrite on the coordinating node.
 */
public final class IntentVocabularyAction {

    public static final String NAME = "indices:data/read/semantic_ranking/intent_vocabulary";
    public static final ActionType<IntentVocabularyResponse> INSTANCE = new ActionType<>(NAME);

    private IntentVocabularyAction() {}

    /**
     * Registers the fetch of the vocabularies {@code intent} reads in the indices, as an async action of the rewrite; the
     * supplier gives them once it has run ({@code null} before).
     */
    public static Supplier<Map<String, Vocabulary>> fetch(
            QueryRewriteContext context, String[] indices, IntentOptions intent) {
        return fetch(context, indices, List.copyOf(intent.keywordFields().values()));
    }

    /** The same for the named keyword fields. */
    public static Supplier<Map<String, Vocabulary>> fetch(
            QueryRewriteContext context, String[] indices, List<String> fields) {
        IntentVocabularyRequest request = new IntentVocabularyRequest(indices, fields);
        return RewriteActions.fetch(
                context, (client, listener) -> client.execute(INSTANCE, request, listener.map(r -> r.vocabularies())));
    }
}

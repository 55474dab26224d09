package org.semanticranking.query.intent;

import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.common.io.stream.StreamOutput;

import java.util.Map;

/** Each field's vocabulary. */
public final class IntentVocabularyResponse extends ActionResponse {

    private final Map<String, Vocabulary> vocabularies;

    IntentVocabularyResponse(Map<String, Vocabulary> vocabularies) {
        this.vocabularies = vocabularies;
    }

    public Map<String, Vocabulary> vocabularies() {
        return vocabularies;
    }

    @Override
    public void writeTo(StreamOutput out) {
        TransportAction.localOnly();
    }
}

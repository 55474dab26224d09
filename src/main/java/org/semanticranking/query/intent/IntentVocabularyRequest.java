package org.semanticranking.query.intent;

import org.semanticranking.common.LocalIndicesRequest;

import java.util.Arrays;
import java.util.List;

/** The keyword fields whose values to read, in the searched indices (which a role must be allowed to read). */
public final class IntentVocabularyRequest extends LocalIndicesRequest {

    private final List<String> fields;

    public IntentVocabularyRequest(String[] indices, List<String> fields) {
        super(sorted(indices));
        this.fields = List.copyOf(fields);
    }

    private static String[] sorted(String[] indices) {
        String[] copy = indices.clone();
        Arrays.sort(copy);
        return copy;
    }

    public List<String> fields() {
        return fields;
    }
}

package org.semanticranking.common;

import org.elasticsearch.action.IndicesRequest;
import org.elasticsearch.action.support.IndicesOptions;

/**
 * A local request that reads the searched indices on the caller's behalf: an {@link IndicesRequest}, so that whoever
 * may read them may run it (a role's {@code read} privilege covers it) and whoever may not is refused.
 */
public abstract class LocalIndicesRequest extends LocalRequest implements IndicesRequest {

    private final String[] indices;

    protected LocalIndicesRequest(String[] indices) {
        this.indices = indices;
    }

    @Override
    public final String[] indices() {
        return indices;
    }

    @Override
    public final IndicesOptions indicesOptions() {
        return IndicesOptions.lenientExpandOpen();
    }
}

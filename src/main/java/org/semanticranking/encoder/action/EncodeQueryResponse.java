package org.semanticranking.encoder.action;

import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.common.io.stream.StreamOutput;

/** A query's vector and the model that made it; or, when the encoder was unavailable and the query allows it, why there is none. */
public final class EncodeQueryResponse extends ActionResponse {

    private final float[] vector;
    private final String model;
    private final String failure;

    /** @param model the model that encoded the text (resolved from the default or the field's pipeline) */
    public EncodeQueryResponse(float[] vector, String model) {
        this(vector, model, null);
    }

    public EncodeQueryResponse(float[] vector) {
        this(vector, null);
    }

    private EncodeQueryResponse(float[] vector, String model, String failure) {
        this.vector = vector;
        this.model = model;
        this.failure = failure;
    }

    /** No vector: the encoder was unavailable and the caller may fall back. */
    static EncodeQueryResponse unavailable(String reason) {
        return new EncodeQueryResponse(null, null, reason);
    }

    /** Shared with the cache: do not modify. {@code null} when the encoder was unavailable. */
    public float[] vector() {
        return vector;
    }

    public String model() {
        return model;
    }

    /** Why there is no vector, or {@code null}. */
    public String failure() {
        return failure;
    }

    @Override
    public void writeTo(StreamOutput out) {
        TransportAction.localOnly();
    }
}

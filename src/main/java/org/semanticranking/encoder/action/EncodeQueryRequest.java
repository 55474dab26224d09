package org.semanticranking.encoder.action;

import org.elasticsearch.action.ActionRequestValidationException;
import org.semanticranking.common.LocalRequest;

import static org.elasticsearch.action.ValidateActions.addValidationError;

/** A query text to encode, with the model to encode it with or what to find that model from. */
public final class EncodeQueryRequest extends LocalRequest {

    private final String model;
    private final String text;
    private final String[] indices;
    private final String field;
    private final boolean fallbackAllowed;

    public EncodeQueryRequest(String model, String text) {
        this(model, text, new String[0], null, false);
    }

    /**
     * @param model           the model, or {@code null}: then the one the pipelines of {@code indices} embed {@code field} with
     * @param fallbackAllowed the query allows the lexical fallback: an unavailable encoder may answer "no vector"
     *                        (see {@link OnSemanticFailure})
     */
    public EncodeQueryRequest(String model, String text, String[] indices, String field, boolean fallbackAllowed) {
        this.model = model;
        this.text = text;
        this.indices = indices;
        this.field = field;
        this.fallbackAllowed = fallbackAllowed;
    }

    public String model() {
        return model;
    }

    public String text() {
        return text;
    }

    public String[] indices() {
        return indices;
    }

    public String field() {
        return field;
    }

    public boolean fallbackAllowed() {
        return fallbackAllowed;
    }

    @Override
    public ActionRequestValidationException validate() {
        if (text == null || text.isBlank()) {
            return addValidationError("query text is missing or blank", null);
        }
        return null;
    }
}

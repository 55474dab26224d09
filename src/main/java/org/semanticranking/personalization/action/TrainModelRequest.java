package org.semanticranking.personalization.action;

import org.elasticsearch.action.ActionRequestValidationException;
import org.semanticranking.personalization.profile.LearningRequest;

import static org.elasticsearch.action.ValidateActions.addValidationError;

/** A model id and the body of {@code _train}, read and checked. */
public final class TrainModelRequest extends LearningJobRequest {

    private final String modelId;

    public TrainModelRequest(String modelId, LearningRequest learning) {
        super(learning);
        this.modelId = modelId;
    }

    public String modelId() {
        return modelId;
    }

    @Override
    String description() {
        return "train personalization model [" + modelId + "]";
    }

    @Override
    public ActionRequestValidationException validate() {
        if (modelId == null
                || modelId.isBlank()
                || modelId.startsWith("_")
                || modelId.contains("/")
                || modelId.contains("..")) {
            return addValidationError("invalid model_id [" + modelId + "]", null);
        }
        return null;
    }
}

package org.semanticranking.evaluation.action;

import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.IndicesRequest;
import org.elasticsearch.action.support.IndicesOptions;
import org.elasticsearch.tasks.CancellableTask;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.tasks.TaskId;
import org.semanticranking.common.LocalRequest;

import java.util.Map;

import static org.elasticsearch.action.ValidateActions.addValidationError;

/**
 * What the three evaluation requests share: the indices they search (an {@link IndicesRequest}, so that security
 * checks read on them), a cancellable task (closing the connection cancels every search inside).
 */
public abstract class EvaluationActionRequest extends LocalRequest implements IndicesRequest {

    private final String[] indices;

    EvaluationActionRequest(String[] indices) {
        this.indices = indices;
    }

    @Override
    public String[] indices() {
        return indices;
    }

    @Override
    public IndicesOptions indicesOptions() {
        return IndicesOptions.strictExpandOpenAndForbidClosed();
    }

    /** What the task API shows it as. */
    abstract String description();

    @Override
    public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
        return new CancellableTask(
                id, type, action, description() + " on " + String.join(",", indices), parentTaskId, headers);
    }

    @Override
    public ActionRequestValidationException validate() {
        return indices.length == 0 ? addValidationError("an index is required", null) : null;
    }
}

package org.semanticranking.evaluation.action;

import org.elasticsearch.tasks.Task;
import org.elasticsearch.tasks.TaskId;
import org.semanticranking.common.JobTask;
import org.semanticranking.evaluation.EvaluationRequest;
import org.semanticranking.evaluation.Tuner;

import java.util.Map;

/**
 * The indices and the body of {@code _tune}, read and checked. It runs as a {@link JobTask}; with
 * {@code wait_for_completion=false} its result is stored for {@code GET _tasks/<id>}.
 */
public final class TuneRequest extends EvaluationActionRequest {

    private final EvaluationRequest evaluation;
    private final Tuner.Options options;
    private final boolean storeResult;

    public TuneRequest(String[] indices, EvaluationRequest evaluation, Tuner.Options options, boolean storeResult) {
        super(indices);
        this.evaluation = evaluation;
        this.options = options;
        this.storeResult = storeResult;
    }

    public EvaluationRequest evaluation() {
        return evaluation;
    }

    public Tuner.Options options() {
        return options;
    }

    @Override
    public boolean getShouldStoreResult() {
        return storeResult;
    }

    @Override
    String description() {
        return "tune";
    }

    @Override
    public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
        return new JobTask(id, type, action, "tune on " + String.join(",", indices()), parentTaskId, headers);
    }
}

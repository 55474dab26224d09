package org.semanticranking.personalization.action;

import org.elasticsearch.tasks.Task;
import org.elasticsearch.tasks.TaskId;
import org.semanticranking.common.JobTask;
import org.semanticranking.common.LocalRequest;
import org.semanticranking.personalization.profile.LearningRequest;

import java.util.Map;

/** A profile build or a training run, its body already read and checked ({@link LearningRequest}); it runs as a {@link JobTask}. */
public abstract class LearningJobRequest extends LocalRequest {

    private final LearningRequest learning;

    LearningJobRequest(LearningRequest learning) {
        this.learning = learning;
    }

    public LearningRequest learning() {
        return learning;
    }

    abstract String description();

    @Override
    public final Task createTask(
            long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
        return new JobTask(id, type, action, description(), parentTaskId, headers);
    }
}

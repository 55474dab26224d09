package org.semanticranking.ranking.action;

import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.IndicesRequest;
import org.elasticsearch.action.support.IndicesOptions;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.tasks.TaskId;
import org.semanticranking.common.JobTask;
import org.semanticranking.common.LocalRequest;
import org.semanticranking.common.LocalResponse;
import org.semanticranking.ranking.training.TrainingRequest;

import java.util.Map;

import static org.elasticsearch.action.ValidateActions.addValidationError;

/**
 * {@code POST <index>/_semantic_ranking/rankers/<ranker_id>/_train}: an index action over the searched indices (a
 * role's {@code read} on them covers it); it stores the ranker with the caller's privileges on the rankers index.
 */
public final class TrainRankerAction {

    public static final String NAME = "indices:data/read/semantic_ranking/rankers/train";
    public static final ActionType<LocalResponse> INSTANCE = new ActionType<>(NAME);

    private TrainRankerAction() {}

    /** The indices and the body, read and checked; a {@link JobTask}, its result stored when asked to run in the background. */
    public static final class Request extends LocalRequest implements IndicesRequest {
        private final String[] indices;
        private final TrainingRequest training;
        private final boolean storeResult;

        public Request(String[] indices, TrainingRequest training, boolean storeResult) {
            this.indices = indices;
            this.training = training;
            this.storeResult = storeResult;
        }

        public TrainingRequest training() {
            return training;
        }

        @Override
        public String[] indices() {
            return indices;
        }

        @Override
        public IndicesOptions indicesOptions() {
            return IndicesOptions.strictExpandOpenAndForbidClosed();
        }

        @Override
        public boolean getShouldStoreResult() {
            return storeResult;
        }

        @Override
        public ActionRequestValidationException validate() {
            return indices.length == 0 ? addValidationError("an index is required", null) : null;
        }

        @Override
        public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
            return new JobTask(
                    id,
                    type,
                    action,
                    "train ranker [" + training.rankerId() + "] on " + String.join(",", indices),
                    parentTaskId,
                    headers);
        }
    }
}

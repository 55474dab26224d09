package org.semanticranking.judgments.action;

import org.elasticsearch.action.ActionType;
import org.elasticsearch.tasks.CancellableTask;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.tasks.TaskId;
import org.semanticranking.common.LocalIndicesRequest;
import org.semanticranking.common.LocalResponse;
import org.semanticranking.judgments.JudgmentOptions;

import java.util.Map;

/**
 * {@code POST <index>/_semantic_ranking/judgments/_from_events}: an index action on the catalogue the judgments are
 * for, so that a role needs read on it; the events index is read with the caller's privileges too.
 */
public final class FromEventsAction {

    public static final String NAME = "indices:data/read/semantic_ranking/judgments/from_events";
    public static final ActionType<LocalResponse> INSTANCE = new ActionType<>(NAME);
    public static final String API = "judgments/_from_events";

    private FromEventsAction() {}

    /** The catalogue and the options, read and checked on the REST thread. */
    public static final class Request extends LocalIndicesRequest {

        private final JudgmentOptions options;

        public Request(String[] indices, JudgmentOptions options) {
            super(indices);
            this.options = options;
        }

        public JudgmentOptions options() {
            return options;
        }

        @Override
        public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
            return new CancellableTask(
                    id,
                    type,
                    action,
                    "judgments from events for " + String.join(",", indices()),
                    parentTaskId,
                    headers);
        }
    }
}

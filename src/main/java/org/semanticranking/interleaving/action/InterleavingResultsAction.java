package org.semanticranking.interleaving.action;

import org.elasticsearch.action.ActionType;
import org.elasticsearch.tasks.CancellableTask;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.tasks.TaskId;
import org.semanticranking.common.LocalIndicesRequest;
import org.semanticranking.common.LocalResponse;
import org.semanticranking.interleaving.InterleavingOutcome;

import java.util.Map;
import java.util.Set;

/**
 * {@code POST <index>/_semantic_ranking/interleaving/_results}: an experiment's wins, losses and ties from the events,
 * with the preference, its confidence interval and a p-value. An index action on the catalogue the experiment ranks.
 */
public final class InterleavingResultsAction {

    public static final String NAME = "indices:data/read/semantic_ranking/interleaving/results";
    public static final ActionType<LocalResponse> INSTANCE = new ActionType<>(NAME);
    public static final String API = "interleaving/_results";
    static final Set<String> KEYS = Set.of("index", "experiment", "test");

    private InterleavingResultsAction() {}

    /** The events index (null: the cluster's interactions index) and the experiment, read and checked. */
    public static final class Request extends LocalIndicesRequest {

        private final String eventsIndex;
        private final String experiment;
        private final InterleavingOutcome.Test test;

        public Request(String[] indices, String eventsIndex, String experiment, InterleavingOutcome.Test test) {
            super(indices);
            this.eventsIndex = eventsIndex;
            this.experiment = experiment;
            this.test = test;
        }

        /** Reads a body: {@code {"experiment": "...", "index": "interactions", "test": "click_difference"}}. */
        public static Request parse(String[] indices, Map<String, Object> body) {
            for (String key : body.keySet()) {
                if (KEYS.contains(key) == false) {
                    throw new IllegalArgumentException("[" + API + "] unknown parameter [" + key + "]; expected "
                            + "[experiment] and optionally [index] and [test]");
                }
            }
            Object experiment = body.get("experiment");
            if (experiment instanceof String == false || ((String) experiment).isBlank()) {
                throw new IllegalArgumentException("[" + API + "] requires [experiment]: the name an [interleave] "
                        + "retriever gave its hits, logged with the events");
            }
            Object index = body.get("index");
            if (index != null && (index instanceof String == false || ((String) index).isBlank())) {
                throw new IllegalArgumentException("[" + API + "] [index] must be the name of the events index");
            }
            // one message for an unknown name and for a value that is no name at all (a number, null)
            InterleavingOutcome.Test test = InterleavingOutcome.Test.parse(
                    String.valueOf(body.getOrDefault("test", InterleavingOutcome.Test.CLICK_DIFFERENCE.value())));
            return new Request(indices, (String) index, (String) experiment, test);
        }

        public String eventsIndex() {
            return eventsIndex;
        }

        public String experiment() {
            return experiment;
        }

        /** The test that names the preferred side. */
        public InterleavingOutcome.Test test() {
            return test;
        }

        @Override
        public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
            return new CancellableTask(
                    id, type, action, "interleaving results of [" + experiment + "]", parentTaskId, headers);
        }
    }
}

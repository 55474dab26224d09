package org.semanticranking.rest;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.IndicesRequest;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.IndicesOptions;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.client.internal.ParentTaskAssigningClient;
import org.elasticsearch.tasks.CancellableTask;
import org.elasticsearch.tasks.TaskId;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;
import org.semanticranking.evaluation.EvaluationRequest;
import org.semanticranking.evaluation.Evaluator;
import org.semanticranking.evaluation.JudgmentCandidates;
import org.semanticranking.evaluation.TuneTask;
import org.semanticranking.evaluation.Tuner;
import org.elasticsearch.action.ActionRunnable;
import org.elasticsearch.threadpool.ThreadPool;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import static org.elasticsearch.action.ValidateActions.addValidationError;

/**
 * {@code _evaluate}: an index action (so a role needs read on the index to run it, and every search inside
 * runs with the caller's privileges), local to the node that receives it.
 */
public final class EvaluationActions {

    public static final ActionType<Response> EVALUATE = new ActionType<>("indices:data/read/semantic_ranking/evaluate");
    public static final ActionType<Response> TUNE = new ActionType<>("indices:data/read/semantic_ranking/tune");
    public static final ActionType<Response> JUDGMENT_CANDIDATES = new ActionType<>("indices:data/read/semantic_ranking/judgment_candidates");

    private EvaluationActions() {}

    public static class Request extends ActionRequest implements IndicesRequest {
        final String[] indices;
        final Map<String, Object> body;

        public Request(String[] indices, Map<String, Object> body) {
            this.indices = indices;
            this.body = body;
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
        public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
            return new CancellableTask(id, type, action, "evaluate on " + String.join(",", indices), parentTaskId, headers);
        }

        @Override
        public ActionRequestValidationException validate() {
            return indices.length == 0 ? addValidationError("an index is required", null) : null;
        }

        @Override
        public void writeTo(StreamOutput out) {
            TransportAction.localOnly();
        }
    }

    /** A {@code _tune} run; with {@code wait_for_completion=false} its result is stored for {@code GET _tasks/<id>}. */
    public static final class TuneRequest extends Request {
        private final boolean storeResult;

        public TuneRequest(String[] indices, Map<String, Object> body, boolean storeResult) {
            super(indices, body);
            this.storeResult = storeResult;
        }

        @Override
        public boolean getShouldStoreResult() {
            return storeResult;
        }

        @Override
        public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
            return new TuneTask(id, type, action, "tune on " + String.join(",", indices), parentTaskId, headers);
        }
    }

    public static final class Response extends ActionResponse implements ToXContentObject {
        private final ToXContentObject result;

        Response(ToXContentObject result) {
            this.result = result;
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            return result.toXContent(builder, params);
        }

        @Override
        public void writeTo(StreamOutput out) {
            TransportAction.localOnly();
        }
    }

    public static final class TransportTuneAction extends TransportAction<Request, Response> {
        private final Client client;
        private final NamedXContentRegistry registry;
        private final TransportService transportService;
        private final ThreadPool threadPool;

        @Inject
        public TransportTuneAction(TransportService ts, ActionFilters filters, Client client, NamedXContentRegistry registry, ThreadPool threadPool) {
            super(TUNE.name(), filters, ts.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.client = client;
            this.registry = registry;
            this.transportService = ts;
            this.threadPool = threadPool;
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<Response> listener) {
            ActionListener.run(listener, l -> {
                // everything that can be checked before a search runs is checked here, on the caller's thread: a 400 at once
                EvaluationRequest parsed = EvaluationRequest.parse("_tune", request.body, Tuner.OPTIONS);
                Client child = new ParentTaskAssigningClient(client, transportService.getLocalNode(), task);
                Evaluator evaluator = new Evaluator(child, registry, request.indices);
                parsed.requests().forEach(r -> evaluator.checkTemplate(parsed.searchTemplate(), r, parsed.maxK()));
                Tuner tuner = new Tuner(evaluator, parsed, request.body, (TuneTask) task);
                evaluator.checkRatedDocsExist(parsed.requests(), l.delegateFailureAndWrap((l2, v) ->
                    threadPool.executor(LearningActions.JOBS_POOL).execute(ActionRunnable.supply(l2, () -> new Response(tuner.run())))));
            });
        }
    }

    public static final class TransportJudgmentCandidatesAction extends TransportAction<Request, Response> {
        private final Client client;
        private final NamedXContentRegistry registry;
        private final TransportService transportService;

        @Inject
        public TransportJudgmentCandidatesAction(TransportService ts, ActionFilters filters, Client client, NamedXContentRegistry registry) {
            super(JUDGMENT_CANDIDATES.name(), filters, ts.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.client = client;
            this.registry = registry;
            this.transportService = ts;
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<Response> listener) {
            ActionListener.run(listener, l -> {
                Client child = new ParentTaskAssigningClient(client, transportService.getLocalNode(), task);
                JudgmentCandidates.find(child, new Evaluator(child, registry, request.indices), request.body, l.map(Response::new));
            });
        }
    }

    public static final class TransportEvaluateAction extends TransportAction<Request, Response> {
        private final Client client;
        private final NamedXContentRegistry registry;
        private final TransportService transportService;

        @Inject
        public TransportEvaluateAction(TransportService ts, ActionFilters filters, Client client, NamedXContentRegistry registry) {
            super(EVALUATE.name(), filters, ts.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.client = client;
            this.registry = registry;
            this.transportService = ts;
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<Response> listener) {
            ActionListener.run(listener, l -> {
                EvaluationRequest parsed = EvaluationRequest.parse("_evaluate", request.body, Set.of());
                // the searches are children of this task: cancelling it (or closing the connection) cancels them
                Client child = new ParentTaskAssigningClient(client, transportService.getLocalNode(), task);
                Evaluator evaluator = new Evaluator(child, registry, request.indices);
                // render and parse every request before anything runs: a bad template is a 400 with no search done
                parsed.requests().forEach(r -> evaluator.checkTemplate(parsed.searchTemplate(), r, parsed.maxK()));
                evaluator.checkRatedDocsExist(parsed.requests(), l.delegateFailureAndWrap((l2, v) ->
                    evaluator.evaluate(parsed.searchTemplate(), parsed.requests(), parsed.metrics(), parsed.relevantGrade(), true,
                        l2.map(Response::new))));
            });
        }
    }
}

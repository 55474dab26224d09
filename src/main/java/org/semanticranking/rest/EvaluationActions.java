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

    private EvaluationActions() {}

    public static final class Request extends ActionRequest implements IndicesRequest {
        private final String[] indices;
        private final Map<String, Object> body;

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

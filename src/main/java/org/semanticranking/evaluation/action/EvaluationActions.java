package org.semanticranking.evaluation.action;

import org.semanticranking.common.ThreadPools;
import org.semanticranking.common.JobTask;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
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
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.metadata.ProjectMetadata;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.semanticranking.evaluation.EvaluationRequest;
import org.semanticranking.evaluation.Evaluator;
import org.semanticranking.evaluation.JudgmentCandidates;
import org.semanticranking.evaluation.RatedDocsCheck;
import org.semanticranking.evaluation.Tuner;
import org.elasticsearch.action.ActionRunnable;
import org.elasticsearch.threadpool.ThreadPool;

import java.util.Map;
import java.util.Set;

import static org.elasticsearch.action.ValidateActions.addValidationError;
import org.semanticranking.common.LocalResponse;
import org.semanticranking.personalization.action.LearningActions;

/**
 * {@code _evaluate}: an index action (so a role needs read on the index to run it, and every search inside
 * runs with the caller's privileges), local to the node that receives it.
 */
public final class EvaluationActions {

    public static final ActionType<LocalResponse> EVALUATE = new ActionType<>("indices:data/read/semantic_ranking/evaluate");
    public static final ActionType<LocalResponse> TUNE = new ActionType<>("indices:data/read/semantic_ranking/tune");
    public static final ActionType<LocalResponse> JUDGMENT_CANDIDATES = new ActionType<>("indices:data/read/semantic_ranking/judgment_candidates");

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
            return new JobTask(id, type, action, "tune on " + String.join(",", indices), parentTaskId, headers);
        }
    }


    /** What the three evaluation actions share: they run as the caller, their searches children of their task. */
    abstract static class EvaluationTransportAction extends TransportAction<Request, LocalResponse> {
        final Client client;
        final NamedXContentRegistry registry;
        final TransportService transportService;
        final ClusterService clusterService;
        final IndexNameExpressionResolver resolver;

        EvaluationTransportAction(String name, TransportService ts, ActionFilters filters, Client client, NamedXContentRegistry registry,
            ClusterService clusterService, IndexNameExpressionResolver resolver) {
            super(name, filters, ts.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.client = client;
            this.registry = registry;
            this.transportService = ts;
            this.clusterService = clusterService;
            this.resolver = resolver;
        }

        @Override
        protected final void doExecute(Task task, Request request, ActionListener<LocalResponse> listener) {
            // the searches are children of this task: cancelling it (or closing the connection) cancels them
            Client child = new ParentTaskAssigningClient(client, transportService.getLocalNode(), task);
            ActionListener.run(listener, l -> execute(task, request, child, new Evaluator(child, registry, request.indices),
                new RatedDocsCheck(child, request.indices, maxResultWindow(request)), l));
        }

        /** The smallest {@code index.max_result_window} of the indices: no page of ids may ask for more hits than it. */
        private int maxResultWindow(Request request) {
            ProjectMetadata project = clusterService.state().metadata().getProject();
            int window = Integer.MAX_VALUE;
            for (String index : resolver.concreteIndexNames(project, request)) {
                window = Math.min(window, IndexSettings.MAX_RESULT_WINDOW_SETTING.get(project.index(index).getSettings()));
            }
            return window;
        }

        abstract void execute(Task task, Request request, Client child, Evaluator evaluator, RatedDocsCheck ratedDocs,
            ActionListener<LocalResponse> listener);

        /**
         * Parses the body and renders every request before anything runs (a bad template is a 400 with no search
         * done), checks the rated documents as the body's {@code missing_rated_docs} says, then goes on with {@code then}.
         */
        static void checkedThen(
            String api,
            Request request,
            Set<String> extraKeys,
            Evaluator evaluator,
            RatedDocsCheck ratedDocs,
            ActionListener<LocalResponse> listener,
            CheckedTriConsumer<EvaluationRequest, RatedDocsCheck.Outcome, ActionListener<LocalResponse>> then
        ) {
            EvaluationRequest parsed = EvaluationRequest.parse(api, request.body, extraKeys);
            parsed.requests().forEach(r -> evaluator.checkTemplate(parsed.searchTemplate(), r, parsed.maxK()));
            ratedDocs.check(parsed.requests(), parsed.missingRatedDocs(), listener.delegateFailureAndWrap((l, outcome) -> then.accept(parsed, outcome, l)));
        }

        interface CheckedTriConsumer<A, B, C> {
            void accept(A a, B b, C c) throws Exception;
        }
    }

    public static final class TransportTuneAction extends EvaluationTransportAction {
        private final ThreadPool threadPool;

        @Inject
        public TransportTuneAction(TransportService ts, ActionFilters filters, Client client, NamedXContentRegistry registry,
            ClusterService cs, IndexNameExpressionResolver resolver, ThreadPool threadPool) {
            super(TUNE.name(), ts, filters, client, registry, cs, resolver);
            this.threadPool = threadPool;
        }

        @Override
        void execute(Task task, Request request, Client child, Evaluator evaluator, RatedDocsCheck ratedDocs, ActionListener<LocalResponse> listener) {
            // the parameter space is checked first, on the caller's thread: a 400 before any search
            Tuner tuner = new Tuner(evaluator, EvaluationRequest.parse("_tune", request.body, Tuner.OPTIONS), request.body, (JobTask) task);
            checkedThen("_tune", request, Tuner.OPTIONS, evaluator, ratedDocs, listener, (parsed, outcome, l) ->
                threadPool.executor(ThreadPools.JOBS).execute(ActionRunnable.supply(l, () -> new LocalResponse(tuner.run().withRatedDocs(outcome)))));
        }
    }

    public static final class TransportJudgmentCandidatesAction extends EvaluationTransportAction {
        @Inject
        public TransportJudgmentCandidatesAction(TransportService ts, ActionFilters filters, Client client, NamedXContentRegistry registry,
            ClusterService cs, IndexNameExpressionResolver resolver) {
            super(JUDGMENT_CANDIDATES.name(), ts, filters, client, registry, cs, resolver);
        }

        @Override
        void execute(Task task, Request request, Client child, Evaluator evaluator, RatedDocsCheck ratedDocs, ActionListener<LocalResponse> listener) {
            JudgmentCandidates.find(child, evaluator, ratedDocs, request.body, listener.map(LocalResponse::new));
        }
    }

    public static final class TransportEvaluateAction extends EvaluationTransportAction {
        @Inject
        public TransportEvaluateAction(TransportService ts, ActionFilters filters, Client client, NamedXContentRegistry registry,
            ClusterService cs, IndexNameExpressionResolver resolver) {
            super(EVALUATE.name(), ts, filters, client, registry, cs, resolver);
        }

        @Override
        void execute(Task task, Request request, Client child, Evaluator evaluator, RatedDocsCheck ratedDocs, ActionListener<LocalResponse> listener) {
            checkedThen("_evaluate", request, Set.of(), evaluator, ratedDocs, listener, (parsed, outcome, l) ->
                evaluator.evaluate(parsed.searchTemplate(), parsed.requests(), parsed.metrics(), parsed.relevantGrade(), true,
                    l.map(result -> new LocalResponse(result.withRatedDocs(outcome)))));
        }
    }
}

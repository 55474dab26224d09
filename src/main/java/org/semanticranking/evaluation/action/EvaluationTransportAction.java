package org.semanticranking.evaluation.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.client.internal.ParentTaskAssigningClient;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.metadata.ProjectMetadata;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.semanticranking.common.LocalResponse;
import org.semanticranking.evaluation.EvaluationRequest;
import org.semanticranking.evaluation.Evaluator;
import org.semanticranking.evaluation.RatedDocsCheck;
import org.semanticranking.judgments.action.EventJudgments;

/**
 * What the three evaluation actions share: they run as the caller (every search inside with the caller's
 * privileges), local to the node that receives them, their searches children of their task.
 */
abstract class EvaluationTransportAction<R extends EvaluationActionRequest> extends TransportAction<R, LocalResponse> {

    final Client client;
    final NamedXContentRegistry registry;
    final TransportService transportService;
    final ClusterService clusterService;
    final IndexNameExpressionResolver resolver;
    final ThreadPool threadPool;

    EvaluationTransportAction(
            String name,
            TransportService ts,
            ActionFilters filters,
            Client client,
            NamedXContentRegistry registry,
            ClusterService clusterService,
            IndexNameExpressionResolver resolver,
            ThreadPool threadPool) {
        super(name, filters, ts.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
        this.registry = registry;
        this.transportService = ts;
        this.clusterService = clusterService;
        this.resolver = resolver;
        this.threadPool = threadPool;
    }

    /** The evaluation with its ratings: as the body gave them, or judged from the events first ({@code ratings_from}). */
    void graded(String api, EvaluationRequest parsed, Client child, ActionListener<EvaluationRequest> listener) {
        if (parsed.needsJudgments() == false) {
            listener.onResponse(parsed);
            return;
        }
        new EventJudgments(child, threadPool, clusterService, resolver)
                .load(api, parsed.ratingsFrom(), listener.map(judgments -> parsed.withJudgments(api, judgments)));
    }

    @Override
    protected final void doExecute(Task task, R request, ActionListener<LocalResponse> listener) {
        // the searches are children of this task: cancelling it (or closing the connection) cancels them
        Client child = new ParentTaskAssigningClient(client, transportService.getLocalNode(), task);
        ActionListener.run(
                listener,
                l -> execute(
                        task,
                        request,
                        child,
                        new Evaluator(child, registry, request.indices()),
                        new RatedDocsCheck(child, request.indices(), maxResultWindow(request)),
                        l));
    }

    /** The smallest {@code index.max_result_window} of the indices: no page of ids may ask for more hits than it. */
    private int maxResultWindow(R request) {
        ProjectMetadata project = clusterService.state().metadata().getProject();
        int window = Integer.MAX_VALUE;
        for (String index : resolver.concreteIndexNames(project, request)) {
            window = Math.min(
                    window,
                    IndexSettings.MAX_RESULT_WINDOW_SETTING.get(
                            project.index(index).getSettings()));
        }
        return window;
    }

    abstract void execute(
            Task task,
            R request,
            Client child,
            Evaluator evaluator,
            RatedDocsCheck ratedDocs,
            ActionListener<LocalResponse> listener)
            throws Exception;

    /**
     * Renders every request before anything runs (a bad template is a 400 with no search done), checks the rated
     * documents as the body's {@code missing_rated_docs} says, then goes on with {@code then}.
     */
    static void checkedThen(
            EvaluationRequest parsed,
            Evaluator evaluator,
            RatedDocsCheck ratedDocs,
            ActionListener<LocalResponse> listener,
            Then then) {
        parsed.requests().forEach(r -> evaluator.checkTemplate(parsed.searchTemplate(), r, parsed.maxK()));
        ratedDocs.check(
                parsed.requests(),
                parsed.missingRatedDocs(),
                listener.delegateFailureAndWrap((l, outcome) -> then.accept(outcome, l)));
    }

    interface Then {
        void accept(RatedDocsCheck.Outcome outcome, ActionListener<LocalResponse> listener) throws Exception;
    }
}

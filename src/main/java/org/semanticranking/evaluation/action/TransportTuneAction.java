package org.semanticranking.evaluation.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.semanticranking.common.JobTask;
import org.semanticranking.common.Jobs;
import org.semanticranking.common.LocalResponse;
import org.semanticranking.evaluation.Evaluator;
import org.semanticranking.evaluation.RatedDocsCheck;
import org.semanticranking.evaluation.Tuner;

public final class TransportTuneAction extends EvaluationTransportAction<TuneRequest> {

    @Inject
    public TransportTuneAction(
            TransportService ts,
            ActionFilters filters,
            Client client,
            NamedXContentRegistry registry,
            ClusterService cs,
            IndexNameExpressionResolver resolver,
            ThreadPool threadPool) {
        super(TuneAction.NAME, ts, filters, client, registry, cs, resolver, threadPool);
    }

    @Override
    void execute(
            Task task,
            TuneRequest request,
            Client child,
            Evaluator evaluator,
            RatedDocsCheck ratedDocs,
            ActionListener<LocalResponse> listener) {
        JobTask job = (JobTask) task;
        // a cancel while the events are read or the rated documents are checked fails that search: reported as the
        // cancellation too
        ActionListener<LocalResponse> reporting = Jobs.reportingCancellation(listener, job);
        graded("_tune", request.evaluation(), child, reporting.delegateFailureAndWrap((graded, evaluation) -> {
            request.options().check(evaluation);
            Tuner tuner = new Tuner(evaluator, evaluation, request.options(), job);
            checkedThen(
                    evaluation,
                    evaluator,
                    ratedDocs,
                    graded,
                    (outcome, l) ->
                            Jobs.run(threadPool, job, l, () -> tuner.run().withRatedDocs(outcome)));
        }));
    }
}

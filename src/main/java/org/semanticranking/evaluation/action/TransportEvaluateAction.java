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
import org.semanticranking.common.LocalResponse;
import org.semanticranking.evaluation.Evaluator;
import org.semanticranking.evaluation.RatedDocsCheck;

public final class TransportEvaluateAction extends EvaluationTransportAction<EvaluateRequest> {

    @Inject
    public TransportEvaluateAction(
            TransportService ts,
            ActionFilters filters,
            Client client,
            NamedXContentRegistry registry,
            ClusterService cs,
            IndexNameExpressionResolver resolver,
            ThreadPool threadPool) {
        super(EvaluateAction.NAME, ts, filters, client, registry, cs, resolver, threadPool);
    }

    @Override
    void execute(
            Task task,
            EvaluateRequest request,
            Client child,
            Evaluator evaluator,
            RatedDocsCheck ratedDocs,
            ActionListener<LocalResponse> listener) {
        graded(
                "_evaluate",
                request.evaluation(),
                child,
                listener.delegateFailureAndWrap((graded, parsed) -> checkedThen(
                        parsed,
                        evaluator,
                        ratedDocs,
                        graded,
                        (outcome, l) -> evaluator.evaluate(
                                parsed.searchTemplate(),
                                parsed.requests(),
                                parsed.metrics(),
                                parsed.relevantGrade(),
                                true,
                                l.map(result -> new LocalResponse(result.withRatedDocs(outcome)))))));
    }
}

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
import org.semanticranking.evaluation.JudgmentCandidates;
import org.semanticranking.evaluation.RatedDocsCheck;

public final class TransportJudgmentCandidatesAction extends EvaluationTransportAction<JudgmentCandidatesRequest> {

    @Inject
    public TransportJudgmentCandidatesAction(
            TransportService ts,
            ActionFilters filters,
            Client client,
            NamedXContentRegistry registry,
            ClusterService cs,
            IndexNameExpressionResolver resolver,
            ThreadPool threadPool) {
        super(JudgmentCandidatesAction.NAME, ts, filters, client, registry, cs, resolver, threadPool);
    }

    @Override
    void execute(
            Task task,
            JudgmentCandidatesRequest request,
            Client child,
            Evaluator evaluator,
            RatedDocsCheck ratedDocs,
            ActionListener<LocalResponse> listener) {
        JudgmentCandidates.find(child, evaluator, ratedDocs, request.spec(), listener.map(LocalResponse::new));
    }
}

package org.semanticranking.personalization.action;

import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.elasticsearch.xcontent.ToXContentObject;
import org.semanticranking.common.JobTask;
import org.semanticranking.personalization.PersonalizationSettings;
import org.semanticranking.personalization.model.ModelTrainer;
import org.semanticranking.personalization.profile.LearningRequest;

public final class TransportTrainModelAction extends LearningTransportAction<TrainModelRequest> {

    @Inject
    public TransportTrainModelAction(
            TransportService ts,
            ActionFilters filters,
            Client client,
            ClusterService cs,
            IndexNameExpressionResolver resolver,
            ThreadPool tp) {
        super(TrainModelAction.NAME, ts, filters, client, cs, resolver, tp);
    }

    @Override
    String api() {
        return ModelTrainer.API;
    }

    @Override
    ToXContentObject run(TrainModelRequest request, LearningRequest learning, JobTask task) {
        String modelsIndex = clusterService.getClusterSettings().get(PersonalizationSettings.MODELS_INDEX);
        return ModelTrainer.train(
                client, request.modelId(), learning, task, modelsIndex, threadPool.absoluteTimeInMillis());
    }
}

package org.semanticranking.personalization.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.elasticsearch.xcontent.ToXContentObject;
import org.semanticranking.common.JobTask;
import org.semanticranking.common.Jobs;
import org.semanticranking.common.LocalResponse;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.profile.LearningRequest;

/**
 * What the build and the training share: local actions that run as cancellable jobs on the plugin's jobs pool, with
 * the caller's privileges for every read and write, reading the interactions index through the fields its mapping
 * has (a 400 naming each field it cannot use, before anything runs).
 */
abstract class LearningTransportAction<R extends LearningJobRequest> extends TransportAction<R, LocalResponse> {

    final Client client;
    final ClusterService clusterService;
    final IndexNameExpressionResolver resolver;
    final ThreadPool threadPool;

    LearningTransportAction(
            String name,
            TransportService transportService,
            ActionFilters filters,
            Client client,
            ClusterService clusterService,
            IndexNameExpressionResolver resolver,
            ThreadPool threadPool) {
        super(name, filters, transportService.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
        this.clusterService = clusterService;
        this.resolver = resolver;
        this.threadPool = threadPool;
    }

    @Override
    protected final void doExecute(Task task, R request, ActionListener<LocalResponse> listener) {
        ActionListener.run(listener, l -> {
            LearningRequest learning = request.learning();
            LearningRequest resolved = learning.withInteractionFields(InteractionFields.resolve(
                    api(),
                    learning.interactionsIndex(),
                    clusterService.state().metadata().getProject(),
                    resolver));
            JobTask job = (JobTask) task;
            Jobs.run(threadPool, job, l, () -> run(request, resolved, job));
        });
    }

    /** The API's name, for its error messages. */
    abstract String api();

    abstract ToXContentObject run(R request, LearningRequest learning, JobTask task) throws Exception;
}

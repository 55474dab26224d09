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
import org.semanticranking.personalization.profile.LearningRequest;
import org.semanticranking.personalization.profile.ProfileBuilder;

public final class TransportBuildProfilesAction extends LearningTransportAction<BuildProfilesRequest> {

    @Inject
    public TransportBuildProfilesAction(
            TransportService ts,
            ActionFilters filters,
            Client client,
            ClusterService cs,
            IndexNameExpressionResolver resolver,
            ThreadPool tp) {
        super(BuildProfilesAction.NAME, ts, filters, client, cs, resolver, tp);
    }

    @Override
    String api() {
        return ProfileBuilder.API;
    }

    @Override
    ToXContentObject run(BuildProfilesRequest request, LearningRequest learning, JobTask task) {
        return ProfileBuilder.build(client, learning, task, threadPool.absoluteTimeInMillis());
    }
}

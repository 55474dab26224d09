package org.semanticranking.judgments.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRunnable;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.metadata.ProjectMetadata;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.threadpool.ThreadPool;
import org.semanticranking.judgments.ImplicitJudgments;
import org.semanticranking.judgments.JudgmentOptions;
import org.semanticranking.judgments.Judgments;
import org.semanticranking.personalization.PersonalizationSettings;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.events.InteractionType;
import org.semanticranking.personalization.profile.ProfileSettings;

import java.util.Map;

/**
 * Judgments from an events index, for {@code _from_events} and for the {@code ratings_from} of {@code _evaluate},
 * {@code _tune} and {@code _train}: the fields resolved from the index's mapping, the counts read page by page with the
 * caller's privileges, the click model fitted on the generic pool (an EM over every pair; never on a search or transport
 * thread).
 */
public final class EventJudgments {

    private final Client client;
    private final ThreadPool threadPool;
    private final ClusterService clusterService;
    private final IndexNameExpressionResolver resolver;

    public EventJudgments(
            Client client, ThreadPool threadPool, ClusterService clusterService, IndexNameExpressionResolver resolver) {
        this.client = client;
        this.threadPool = threadPool;
        this.clusterService = clusterService;
        this.resolver = resolver;
    }

    /** The options with the cluster's interactions index when they name none. */
    public JudgmentOptions withDefaults(JudgmentOptions options) {
        return options.orIndex(clusterService.getClusterSettings().get(PersonalizationSettings.INTERACTIONS_INDEX));
    }

    public void load(String api, JudgmentOptions requested, ActionListener<Judgments> listener) {
        ActionListener.run(listener, l -> {
            JudgmentOptions options = withDefaults(requested);
            ProjectMetadata project = clusterService.state().metadata().getProject();
            String index = options.eventsIndex();
            InteractionFields fields = InteractionFields.resolve(api, index, project, resolver);
            String queryField = InteractionFields.keywordField(api, index, InteractionEvent.QUERY, project, resolver);
            new EventCounts(client, index, fields, queryField, options.slots(), weights())
                    .read(l.delegateFailureAndWrap((computed, read) -> threadPool
                            .generic()
                            .execute(ActionRunnable.supply(
                                    computed,
                                    () -> ImplicitJudgments.compute(read.rows(), options, read.unplaced())))));
        });
    }

    /** The event weights profiles use (the cluster's {@code semantic_ranking.profiles.weights.*}). */
    private Map<InteractionType, Double> weights() {
        ClusterSettings settings = clusterService.getClusterSettings();
        return ProfileSettings.fromSettings(settings::get).weights();
    }
}

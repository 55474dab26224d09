package org.semanticranking.personalization.action;

import org.semanticranking.common.ThreadPools;
import org.semanticranking.common.JobTask;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ActionRunnable;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.tasks.TaskCancelledException;
import org.elasticsearch.tasks.TaskId;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.elasticsearch.xcontent.ToXContentObject;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.profile.LearningRequest;
import org.semanticranking.personalization.model.ModelTrainer;
import org.semanticranking.personalization.model.PersonalizationModels;
import org.semanticranking.personalization.profile.ProfileBuilder;
import org.semanticranking.personalization.profile.ProfileSettings;

import java.util.Map;

import static org.elasticsearch.action.ValidateActions.addValidationError;
import org.semanticranking.common.LocalResponse;

/**
 * The profile build and the model training: local actions (named so roles can grant them) that run as
 * cancellable tasks on the plugin's jobs pool, with the caller's privileges for every read and write.
 */
public final class LearningActions {

    public static final ActionType<LocalResponse> BUILD_PROFILES = new ActionType<>("cluster:admin/semantic_ranking/profiles/build");
    public static final ActionType<LocalResponse> TRAIN_MODEL = new ActionType<>("cluster:admin/semantic_ranking/personalization/train");

    private LearningActions() {}

    /** A request body, parsed on the node that runs it (where the settings give the defaults). */
    public static final class Request extends ActionRequest {
        private final String modelId;
        private final Map<String, Object> body;

        public Request(String modelId, Map<String, Object> body) {
            this.modelId = modelId;
            this.body = body;
        }

        @Override
        public ActionRequestValidationException validate() {
            if (modelId != null && (modelId.isBlank() || modelId.startsWith("_") || modelId.contains("/") || modelId.contains(".."))) {
                return addValidationError("invalid model_id [" + modelId + "]", null);
            }
            return null;
        }

        @Override
        public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
            return new JobTask(id, type, action, modelId == null ? "build profiles" : "train personalization model [" + modelId + "]",
                parentTaskId, headers);
        }

        @Override
        public void writeTo(StreamOutput out) {
            TransportAction.localOnly();
        }
    }

    /**
     * Cancelling the job cancels its child searches and bulks too, and the one that was running fails with its own
     * error: report the cancellation instead, as the user asked for it.
     */
    static ActionListener<LocalResponse> reportingCancellation(ActionListener<LocalResponse> listener, JobTask task) {
        return listener.delegateResponse((l, e) -> {
            if (task.isCancelled() && (e instanceof TaskCancelledException) == false) {
                TaskCancelledException cancelled = new TaskCancelledException(task.getDescription() + " cancelled");
                cancelled.addSuppressed(e);
                l.onFailure(cancelled);
            } else {
                l.onFailure(e);
            }
        });
    }

    abstract static class JobAction extends TransportAction<Request, LocalResponse> {
        final Client client;
        final ClusterService clusterService;
        final IndexNameExpressionResolver resolver;
        final ThreadPool threadPool;

        JobAction(String name, TransportService transportService, ActionFilters filters, Client client, ClusterService clusterService,
            IndexNameExpressionResolver resolver, ThreadPool threadPool) {
            super(name, filters, transportService.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.client = client;
            this.clusterService = clusterService;
            this.resolver = resolver;
            this.threadPool = threadPool;
        }

        /** The request reading the interactions index through the fields its mapping has: a 400 naming each field it cannot use. */
        LearningRequest parse(String api, Request request, java.util.Set<String> options, ProfileSettings.Source settings) {
            LearningRequest parsed = LearningRequest.parse(api, request.body, options, settings);
            return parsed.withInteractionFields(
                InteractionFields.resolve(api, parsed.interactionsIndex(), clusterService.state().metadata().getProject(), resolver)
            );
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<LocalResponse> listener) {
            // parse here, on the calling thread, so that bad input fails fast as a 400; the work itself goes to the jobs pool
            ActionListener.run(listener, l -> {
                ProfileSettings.Source settings = clusterService.getClusterSettings()::get;
                Job job = prepare(request, settings);
                JobTask learning = (JobTask) task;
                threadPool.executor(ThreadPools.JOBS).execute(ActionRunnable.supply(reportingCancellation(l, learning), () -> new LocalResponse(job.run(learning))));
            });
        }

        interface Job {
            ToXContentObject run(JobTask task);
        }

        abstract Job prepare(Request request, ProfileSettings.Source settings);
    }

    public static final class TransportBuildProfilesAction extends JobAction {
        @Inject
        public TransportBuildProfilesAction(TransportService ts, ActionFilters filters, Client client, ClusterService cs,
            IndexNameExpressionResolver resolver, ThreadPool tp) {
            super(BUILD_PROFILES.name(), ts, filters, client, cs, resolver, tp);
        }

        @Override
        Job prepare(Request request, ProfileSettings.Source settings) {
            LearningRequest parsed = parse(ProfileBuilder.API, request, ProfileBuilder.OPTIONS, settings);
            return task -> ProfileBuilder.build(client, parsed, task, threadPool.absoluteTimeInMillis());
        }
    }

    public static final class TransportTrainModelAction extends JobAction {
        @Inject
        public TransportTrainModelAction(TransportService ts, ActionFilters filters, Client client, ClusterService cs,
            IndexNameExpressionResolver resolver, ThreadPool tp) {
            super(TRAIN_MODEL.name(), ts, filters, client, cs, resolver, tp);
        }

        @Override
        Job prepare(Request request, ProfileSettings.Source settings) {
            LearningRequest parsed = parse(ModelTrainer.API, request, ModelTrainer.OPTIONS, settings);
            String modelsIndex = settings.get(PersonalizationModels.INDEX);
            return task -> ModelTrainer.train(client, request.modelId, parsed, task, modelsIndex, threadPool.absoluteTimeInMillis());
        }
    }
}

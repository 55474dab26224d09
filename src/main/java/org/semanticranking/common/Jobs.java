package org.semanticranking.common;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRunnable;
import org.elasticsearch.core.CheckedSupplier;
import org.elasticsearch.tasks.TaskCancelledException;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.xcontent.ToXContentObject;

/**
 * How the plugin's long jobs run ({@code _build}, {@code _train}, {@code _tune}): parsed and checked on the caller's
 * thread (bad input is a 400 before anything runs), then the blocking work on the jobs pool, never on a transport or
 * search thread, reporting a cancellation as the cancellation.
 */
public final class Jobs {

    private Jobs() {}

    public static void run(
            ThreadPool threadPool,
            JobTask task,
            ActionListener<LocalResponse> listener,
            CheckedSupplier<ToXContentObject, Exception> job) {
        threadPool
                .executor(ThreadPools.JOBS)
                .execute(ActionRunnable.supply(
                        reportingCancellation(listener, task), () -> new LocalResponse(job.get())));
    }

    /**
     * Cancelling a job cancels its child searches and bulks too, and the one that was running fails with its own error:
     * report the cancellation instead, as the user asked for it.
     */
    public static ActionListener<LocalResponse> reportingCancellation(
            ActionListener<LocalResponse> listener, JobTask task) {
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
}

package org.semanticranking.common;

import org.elasticsearch.action.support.PlainActionFuture;
import org.elasticsearch.tasks.TaskCancelHelper;
import org.elasticsearch.tasks.TaskCancelledException;
import org.elasticsearch.tasks.TaskId;
import org.elasticsearch.test.ESTestCase;

import java.util.Map;

import static org.hamcrest.Matchers.arrayContaining;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.sameInstance;

/**
 * Cancelling a profile build or a training run also cancels the search or bulk it is waiting on; the failure of
 * that child must be reported as the cancellation the user asked for, not as a search error.
 */
public class JobCancellationTests extends ESTestCase {

    private static JobTask task() {
        return new JobTask(
                1,
                "transport",
                "cluster:admin/semantic_ranking/profiles/build",
                "build profiles",
                TaskId.EMPTY_TASK_ID,
                Map.of());
    }

    public void testAChildFailureAfterACancelIsReportedAsTheCancellation() {
        JobTask task = task();
        TaskCancelHelper.cancel(task, "by the user");
        PlainActionFuture<LocalResponse> future = new PlainActionFuture<>();
        RuntimeException childFailure =
                new IllegalStateException("the interactions search failed: its parent task was cancelled");
        Jobs.reportingCancellation(future, task).onFailure(childFailure);
        Exception reported = expectThrows(Exception.class, future::actionGet);
        assertThat(reported, instanceOf(TaskCancelledException.class));
        assertThat(reported.getMessage(), containsString("build profiles cancelled"));
        assertThat(reported.getSuppressed(), arrayContaining(sameInstance(childFailure)));
    }

    public void testWithoutACancelTheFailureIsReportedAsItIs() {
        PlainActionFuture<LocalResponse> future = new PlainActionFuture<>();
        RuntimeException failure = new IllegalStateException("writing profiles failed");
        Jobs.reportingCancellation(future, task()).onFailure(failure);
        assertThat(expectThrows(IllegalStateException.class, future::actionGet), sameInstance(failure));
    }
}

package org.semanticranking.ranking.training;

import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.tasks.TaskId;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.xcontent.XContentType;
import org.semanticranking.common.JobTask;
import org.semanticranking.ranking.model.RankerModel;
import org.semanticranking.ranking.model.TrainingSet;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

/**
 * {@code candidates}: with {@code window} (the default) a candidate without a grade is trained as grade 0; with
 * {@code rated} it is left out of the fit. Made so that the two disagree: the unrated candidates have a high
 * {@code shown} feature and no grade, as products a first stage put deep in its window would.
 */
public class RankerTrainerTests extends ESTestCase {

    private static final String BODY = """
        {"template":{"query":{"match":{"title":"{{query}}"}}},
         "features":[{"name":"quality","first_pass":"score"},{"name":"depth","first_pass":"lexical_rank"}],
         "requests":[{"id":"q1","params":{"query":"x"}},{"id":"q2","params":{"query":"y"}}],
         "ratings":[{"request":"q1","_id":"a","grade":3},{"request":"q1","_id":"b","grade":0},
                    {"request":"q2","_id":"c","grade":3},{"request":"q2","_id":"d","grade":0}],
         "model":{"type":"linear"},"folds":1%s}""";

    private static TrainingRequest request(String extra) {
        Map<String, Object> body = XContentHelper.convertToMap(
                XContentType.JSON.xContent(), String.format(java.util.Locale.ROOT, BODY, extra), false);
        return TrainingRequest.parse("r", body);
    }

    private static TrainingSet set() {
        TrainingSet set = new TrainingSet(List.of("quality", "depth"));
        // graded: the good one has quality and depth; the bad one neither. Unrated: depth without quality
        set.add(new TrainingSet.Group(
                "q1", new String[] {"a", "b", "u1", "u2"}, new float[] {1, 1, 0, 0, 0, 3, 0, 4}, new int[] {3, 0, 0, 0
                }));
        set.add(new TrainingSet.Group(
                "q2", new String[] {"c", "d", "u3", "u4"}, new float[] {1, 2, 0, 0, 0, 3, 0, 5}, new int[] {3, 0, 0, 0
                }));
        return set;
    }

    public void testRatedOnlyLeavesTheUngradedOutOfTheFit() {
        JobTask task = new JobTask(1, "t", "a", "d", TaskId.EMPTY_TASK_ID, Map.of());
        RankerModel window = RankerTrainer.train(set(), request(""), 1, task).model();
        RankerModel rated = RankerTrainer.train(set(), request(",\"candidates\":\"rated\""), 1, task)
                .model();
        float[] unrated = {0, 4};
        float[] bad = {0, 0};
        // graded 0, the deep unrated ones teach the window model that depth is bad
        assertThat(window.score(unrated), lessThan(window.score(bad)));
        // left out, nothing says so: the graded pair alone makes depth as good as quality
        assertThat(rated.score(unrated), greaterThan(rated.score(bad)));
    }

    public void testBadCandidatesAreNamed() {
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> request(",\"candidates\":\"shown\""));
        assertThat(e.getMessage(), containsString("unknown [candidates] [shown], expected [window]"));
        assertThat(request("").ratedOnly(), equalTo(false));
    }
}

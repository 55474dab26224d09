package org.semanticranking.evaluation;

import org.elasticsearch.action.support.PlainActionFuture;
import org.elasticsearch.tasks.TaskCancelledException;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;
import org.semanticranking.common.JobTask;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code _tune}: searches the parameter space for the values of the template that maximise the first metric,
 * by coordinate ascent (one parameter at a time, each over its values or a coarse-to-fine grid of its range,
 * passes until nothing improves or the budget is spent), and reports an out-of-sample gain with k-fold
 * cross-validation: for each fold, the search sees only the other folds' requests, and its best values are
 * scored on the fold. A final search over all requests gives the values to use. Every parameter set is
 * evaluated once over all requests (one {@code _msearch}); the per-request metrics are kept, so the searches
 * of the folds share evaluations. Blocking: runs on the plugin's jobs pool.
 */
public final class Tuner {

    /** The keys of a {@code _tune} body besides the evaluation's. */
    public static final Set<String> OPTION_NAMES = Set.of("params", "budget", "folds", "seed");

    /** What {@code _tune} searches, besides the evaluation: the parameter space, the budget of evaluations per search, the folds, the seed. */
    public record Options(ParameterSpace space, int budget, int folds, int seed) {

        /** Reads the options of a {@code _tune} body; a 400 naming the option when one is wrong. */
        public static Options parse(Map<String, Object> body, EvaluationRequest request) {
            ParameterSpace space = ParameterSpace.parse(body.get("params"), request.template());
            int budget = intOption(body, "budget", 40, 1, 1000);
            int folds = intOption(body, "folds", 5, 1, 20);
            int seed = intOption(body, "seed", 0, 0, Integer.MAX_VALUE);
            Options options = new Options(space, budget, folds, seed);
            if (request.needsJudgments() == false) {
                options.check(request);
            }
            return options;
        }

        /** The checks that need the requests (for {@code ratings_from}, once the events have given them). */
        public void check(EvaluationRequest request) {
            if (folds > request.requests().size()) {
                throw new IllegalArgumentException(
                        "[_tune] [folds] (" + folds + ") cannot exceed the number of requests ("
                                + request.requests().size() + ")");
            }
        }
    }

    private final Evaluator evaluator;
    private final EvaluationRequest request;
    private final ParameterSpace space;
    private final int budget;
    private final int folds;
    private final int seed;
    private final JobTask task;
    /** parameter values -> the objective metric of every request (in request order) */
    private final Map<Map<String, Object>, double[]> evaluated = new HashMap<>();

    public Tuner(Evaluator evaluator, EvaluationRequest request, Options options, JobTask task) {
        this.evaluator = evaluator;
        this.request = request;
        this.space = options.space();
        this.budget = options.budget();
        this.folds = options.folds();
        this.seed = options.seed();
        this.task = task;
    }

    private static int intOption(Map<String, Object> body, String key, int defaultValue, int min, int max) {
        Object v = body.getOrDefault(key, defaultValue);
        if (v instanceof Integer i && i >= min && i <= max) {
            return i;
        }
        throw new IllegalArgumentException(
                "[_tune] [" + key + "] must be an integer between " + min + " and " + max + " but was [" + v + "]");
    }

    /** One search's outcome: the best values and their mean over the requests it saw. */
    record Found(Map<String, Object> values, double score) {}

    public Result run() {
        MetricSpec objective = request.metrics().get(0);
        Map<String, Object> baseline = space.baseline(request.template());
        int n = request.requests().size();
        int[] foldOf = Folds.assign(n, folds, seed);
        List<Map<String, Object>> foldReports = new ArrayList<>();
        double tunedOutOfFold = 0, baselineOutOfFold = 0;
        for (int f = 0; folds > 1 && f < folds; f++) {
            final int fold = f;
            boolean[] train = new boolean[n];
            for (int i = 0; i < n; i++) {
                train[i] = foldOf[i] != fold;
            }
            boolean[] test = new boolean[n];
            for (int i = 0; i < n; i++) {
                test[i] = train[i] == false;
            }
            Found found = search(baseline, train, "fold " + (fold + 1) + " of " + folds);
            double tuned = mean(evaluate(found.values()), test);
            double base = mean(evaluate(baseline), test);
            tunedOutOfFold += tuned * count(test);
            baselineOutOfFold += base * count(test);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("fold", fold + 1);
            report.put("requests", count(test));
            report.put("params", found.values());
            report.put("train", found.score());
            report.put("test", tuned);
            report.put("baseline_test", base);
            foldReports.add(report);
        }
        boolean[] all = new boolean[n];
        java.util.Arrays.fill(all, true);
        Found best = search(baseline, all, "all requests");
        List<Map<String, Object>> leaderboard = new ArrayList<>();
        evaluated.entrySet().stream()
                .sorted(Comparator.comparingDouble(
                        (Map.Entry<Map<String, Object>, double[]> e) -> -mean(e.getValue(), all)))
                .limit(10)
                .forEach(e -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("params", e.getKey());
                    row.put("mean", mean(e.getValue(), all));
                    List<Double> perFold = new ArrayList<>();
                    for (int f = 0; f < folds; f++) {
                        final int fold = f;
                        boolean[] in = new boolean[n];
                        for (int i = 0; i < n; i++) {
                            in[i] = foldOf[i] == fold;
                        }
                        perFold.add(mean(e.getValue(), in));
                    }
                    row.put("per_fold", perFold);
                    leaderboard.add(row);
                });
        Map<String, Object> bestBody = TemplatePaths.with(request.template(), best.values());
        return new Result(
                objective.toString(),
                baseline,
                mean(evaluate(baseline), all),
                best.values(),
                best.score(),
                folds > 1 ? tunedOutOfFold / n : Double.NaN,
                folds > 1 ? baselineOutOfFold / n : Double.NaN,
                foldReports,
                leaderboard,
                evaluated.size(),
                bestBody,
                request.requests().isEmpty()
                        ? null
                        : SearchTemplate.of(bestBody)
                                .render(
                                        request.requests().get(0).id(),
                                        request.requests().get(0).params()),
                null);
    }

    /** Coordinate ascent from the baseline over the requests marked in {@code in}, within the budget. */
    Found search(Map<String, Object> start, boolean[] in, String phase) {
        Map<String, Object> current = new LinkedHashMap<>(start);
        double best = mean(evaluate(current), in);
        int spent = 0;
        Map<String, Integer> level = new HashMap<>();
        boolean progress = true;
        while (progress && spent < budget) {
            progress = false;
            for (ParameterSpace.Dimension d : space.dimensions().values()) {
                int l = level.getOrDefault(d.path(), 0);
                List<Object> candidates = d.candidates(current.get(d.path()), l);
                level.put(d.path(), l + 1);
                for (Object candidate : candidates) {
                    if (spent >= budget) {
                        break;
                    }
                    Map<String, Object> trial = new LinkedHashMap<>(current);
                    trial.put(d.path(), candidate);
                    if (evaluated.containsKey(trial) == false) {
                        spent++;
                    }
                    double score = mean(evaluate(trial), in);
                    task.progress(
                            phase,
                            "evaluations",
                            evaluated.size(),
                            "budget",
                            budget * (folds > 1 ? folds + 1 : 1),
                            "best",
                            best);
                    if (score > best + 1e-12) {
                        best = score;
                        current = trial;
                        progress = true;
                    }
                }
                // a range has finer grids to try even when this pass found nothing better
                progress |= d.isRange()
                        && d.candidates(current.get(d.path()), l + 1).size() > 1
                        && l < 6;
            }
        }
        return new Found(current, best);
    }

    double[] evaluate(Map<String, Object> values) {
        double[] cached = evaluated.get(values);
        if (cached != null) {
            return cached;
        }
        if (task.isCancelled()) {
            throw new TaskCancelledException("tuning cancelled after " + evaluated.size() + " evaluations");
        }
        SearchTemplate template = SearchTemplate.of(TemplatePaths.with(request.template(), values));
        PlainActionFuture<Evaluator.Result> future = new PlainActionFuture<>();
        evaluator.evaluate(
                template,
                request.requests(),
                List.of(request.metrics().get(0)),
                request.relevantGrade(),
                false,
                future);
        Evaluator.Result result;
        try {
            result = future.actionGet();
        } catch (RuntimeException e) {
            if (task.isCancelled()) {
                // cancelling the task cancels its searches too: report the cancellation, not the search it interrupted
                throw new TaskCancelledException("tuning cancelled after " + evaluated.size() + " evaluations");
            }
            throw e;
        }
        double[] perRequest = result.requests().stream()
                .mapToDouble(r -> r.metrics().values().iterator().next())
                .toArray();
        evaluated.put(Map.copyOf(values), perRequest);
        return perRequest;
    }

    private static double mean(double[] values, boolean[] in) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < values.length; i++) {
            if (in[i]) {
                sum += values[i];
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    private static int count(boolean[] in) {
        int c = 0;
        for (boolean b : in) {
            c += b ? 1 : 0;
        }
        return c;
    }

    public record Result(
            String metric,
            Map<String, Object> baselineParams,
            double baseline,
            Map<String, Object> bestParams,
            double best,
            double tunedOutOfFold,
            double baselineOutOfFold,
            List<Map<String, Object>> folds,
            List<Map<String, Object>> leaderboard,
            int evaluations,
            Map<String, Object> bestTemplate,
            String exampleBody,
            RatedDocsCheck.Outcome ratedDocs)
            implements ToXContentObject {

        /** The same result with what the check of the rated documents found, for the response. */
        public Result withRatedDocs(RatedDocsCheck.Outcome outcome) {
            return new Result(
                    metric,
                    baselineParams,
                    baseline,
                    bestParams,
                    best,
                    tunedOutOfFold,
                    baselineOutOfFold,
                    folds,
                    leaderboard,
                    evaluations,
                    bestTemplate,
                    exampleBody,
                    outcome);
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject();
            builder.field("metric", metric);
            builder.startObject("baseline")
                    .field("params", baselineParams)
                    .field("mean", baseline)
                    .endObject();
            builder.startObject("best")
                    .field("params", bestParams)
                    .field("mean", best)
                    .endObject();
            if (Double.isFinite(tunedOutOfFold)) {
                builder.startObject("cross_validation")
                        .field("folds", folds.size())
                        .field("tuned_out_of_fold", tunedOutOfFold)
                        .field("baseline_out_of_fold", baselineOutOfFold)
                        .field("per_fold", folds)
                        .endObject();
            }
            builder.field("leaderboard", leaderboard);
            builder.field("evaluations", evaluations);
            if (ratedDocs != null) {
                ratedDocs.toXContent(builder, params);
            }
            builder.field("template", bestTemplate);
            if (exampleBody != null) {
                builder.rawField(
                        "search_body",
                        new java.io.ByteArrayInputStream(exampleBody.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        org.elasticsearch.xcontent.XContentType.JSON);
            }
            return builder.endObject();
        }
    }
}

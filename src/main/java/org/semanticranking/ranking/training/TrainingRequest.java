package org.semanticranking.ranking.training;

import org.semanticranking.evaluation.EvaluationRequest;
import org.semanticranking.evaluation.MetricSpec;
import org.semanticranking.evaluation.RatedDocsCheck;
import org.semanticranking.ranking.feature.Feature;
import org.semanticranking.ranking.feature.FeatureParser;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST <index>/_semantic_ranking/rankers/<ranker_id>/_train}, read and checked: the first stage
 * ({@code template}, with {@code {{placeholders}}}), how many of its hits are candidates ({@code window_size}), the
 * features ({@code features} or {@code feature_set}), the judged {@code requests} and {@code ratings} exactly as
 * {@code _evaluate} takes them, the {@code model}, the cross-validation ({@code folds}, {@code seed}) and the
 * {@code metric} it reports. With {@code impressions_from} in place of the requests and ratings, the requests are the
 * logged impressions with a click ({@link ImpressionOptions}), found once the job runs.
 */
public record TrainingRequest(
        String rankerId,
        EvaluationRequest evaluation,
        List<Feature> features,
        String featureSet,
        int windowSize,
        List<ModelSpec> models,
        int folds,
        int seed,
        MetricSpec metric,
        boolean details,
        ImpressionOptions impressionsFrom) {

    public static final String API = "_train";
    public static final int MAX_WINDOW = 1000;

    static final Set<String> KEYS = Set.of(
            "window_size",
            "features",
            "feature_set",
            "model",
            "folds",
            "seed",
            "metric",
            "details",
            ImpressionOptions.FIELD);
    static final int MAX_MODELS = 10;

    public static TrainingRequest parse(String rankerId, Map<String, Object> body) {
        if (Feature.NAME_PATTERN.matcher(rankerId).matches() == false) {
            throw new IllegalArgumentException("[" + API
                    + "] a ranker id is letters, digits and [_.-] (at most 100) but" + " was [" + rankerId + "]");
        }
        ImpressionOptions impressions = null;
        if (body.containsKey(ImpressionOptions.FIELD)) {
            for (String other : List.of("requests", "ratings", "ratings_from")) {
                if (body.containsKey(other)) {
                    throw new IllegalArgumentException("[" + API + "] takes [" + ImpressionOptions.FIELD + "] or ["
                            + other + "], not both: the impressions are the requests and their clicks the ratings");
                }
            }
            impressions = ImpressionOptions.parse(API, body.get(ImpressionOptions.FIELD));
        }
        EvaluationRequest evaluation =
                EvaluationRequest.parse("rankers/" + API, body, KEYS, RatedDocsCheck.Mode.IGNORE, impressions != null);
        if (impressions != null) {
            // the template is filled with each impression's query and shopper, and nothing else
            try {
                evaluation
                        .searchTemplate()
                        .render(
                                ImpressionOptions.FIELD,
                                impressions.sampleRequest().params());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "[" + API + "] the [template] of a training from impressions is "
                                + "filled with [" + impressions.queryParam() + "] (the logged query) and ["
                                + impressions.userParam() + "] (the shopper) only: " + e.getMessage(),
                        e);
            }
        }
        Object f = body.get("features");
        Object fs = body.get("feature_set");
        if ((f == null) == (fs == null)) {
            throw new IllegalArgumentException(
                    "[" + API + "] needs exactly one of [features] (an array) and [feature_set] (a stored set's name)");
        }
        if (fs != null && fs instanceof String == false) {
            throw new IllegalArgumentException("[" + API + "] [feature_set] must be the name of a stored feature set");
        }
        List<Feature> features = f == null ? null : FeatureParser.fromList(f);
        int window = intOption(body, "window_size", 100, 1, MAX_WINDOW);
        List<ModelSpec> models = new java.util.ArrayList<>();
        if (body.get("model") instanceof List<?> list) {
            if (list.isEmpty() || list.size() > MAX_MODELS) {
                throw new IllegalArgumentException("[" + API + "] [model] as an array lists 1 to " + MAX_MODELS
                        + " models to choose from by cross-validation, but has " + list.size());
            }
            list.forEach(m -> models.add(ModelSpec.parse(m)));
        } else {
            models.add(ModelSpec.parse(body.get("model")));
        }
        int folds = intOption(body, "folds", 5, 1, 20);
        int seed = intOption(body, "seed", 0, 0, Integer.MAX_VALUE);
        if (models.size() > 1 && folds < 2) {
            throw new IllegalArgumentException("[" + API + "] choosing among " + models.size()
                    + " models needs cross-validation: [folds] must be at least 2");
        }
        Object details = body.getOrDefault("details", false);
        if (details instanceof Boolean == false) {
            throw new IllegalArgumentException("[" + API + "] [details] must be true or false");
        }
        Object m = body.getOrDefault("metric", "ndcg@10");
        if (m instanceof String == false) {
            throw new IllegalArgumentException("[" + API + "] [metric] must be a metric such as [ndcg@10]");
        }
        MetricSpec metric = MetricSpec.parse((String) m);
        TrainingRequest training = new TrainingRequest(
                rankerId,
                evaluation,
                features,
                (String) fs,
                window,
                List.copyOf(models),
                folds,
                seed,
                metric,
                (Boolean) details,
                impressions);
        if (evaluation.needsJudgments() == false && impressions == null) {
            training.checkRatings();
        }
        return training;
    }

    /** The checks of the ratings and the requests (for {@code ratings_from}, once the events have given them). */
    public void checkRatings() {
        if (evaluation.requests().stream().allMatch(r -> r.ratings().isEmpty())) {
            throw new IllegalArgumentException("[" + API + "] needs [ratings]: graded documents of the requests to "
                    + "learn from, as _evaluate takes them");
        }
        if (folds > 1 && folds > evaluation.requests().size()) {
            throw new IllegalArgumentException(
                    "[" + API + "] [folds] (" + folds + ") cannot exceed the number of requests ("
                            + evaluation.requests().size() + ")");
        }
        int maxGrade = evaluation.requests().stream()
                .flatMap(r -> r.ratings().values().stream())
                .mapToInt(Integer::intValue)
                .max()
                .orElse(0);
        if (maxGrade > org.semanticranking.ranking.model.XGBoostTrainer.MAX_GRADE) {
            throw new IllegalArgumentException("[" + API + "] grades must be at most "
                    + org.semanticranking.ranking.model.XGBoostTrainer.MAX_GRADE
                    + " (the gain is 2^grade - 1) but one is "
                    + maxGrade);
        }
    }

    /** This training with the events' judgments as its ratings. */
    public TrainingRequest withJudgments(org.semanticranking.judgments.Judgments judgments) {
        TrainingRequest graded = with(evaluation.withJudgments(API, judgments), features, featureSet, impressionsFrom);
        graded.checkRatings();
        return graded;
    }

    /** This training reading the given events index when its {@code impressions_from} names none. */
    public TrainingRequest withImpressionsIndex(String defaultIndex) {
        return with(evaluation, features, featureSet, impressionsFrom.orIndex(defaultIndex));
    }

    /** This training with its requests found in the logged impressions, checked as given ones are. */
    public TrainingRequest withImpressions(List<org.semanticranking.evaluation.JudgedRequest> impressions) {
        TrainingRequest found = with(evaluation.withRequests(impressions), features, featureSet, impressionsFrom);
        found.checkRatings();
        return found;
    }

    /** This training with what the job found in place of what the body said; the rest as it was. */
    private TrainingRequest with(
            EvaluationRequest newEvaluation,
            List<Feature> newFeatures,
            String newFeatureSet,
            ImpressionOptions newImpressions) {
        return new TrainingRequest(
                rankerId,
                newEvaluation,
                newFeatures,
                newFeatureSet,
                windowSize,
                models,
                folds,
                seed,
                metric,
                details,
                newImpressions);
    }

    private static int intOption(Map<String, Object> body, String key, int defaultValue, int min, int max) {
        Object v = body.getOrDefault(key, defaultValue);
        if (v instanceof Integer i && i >= min && i <= max) {
            return i;
        }
        throw new IllegalArgumentException("[" + API + "] [" + key + "] must be an integer between " + min + " and "
                + max + " but was [" + v + "]");
    }

    /** This with the feature set's features in place of its name. */
    public TrainingRequest withFeatures(List<Feature> resolved) {
        return with(evaluation, resolved, null, impressionsFrom);
    }
}

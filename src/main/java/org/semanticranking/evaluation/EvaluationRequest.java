package org.semanticranking.evaluation;

import org.semanticranking.judgments.JudgmentOptions;
import org.semanticranking.judgments.Judgments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code _evaluate} (and the common part of {@code _tune}):
 * <pre>
 * { "template": { ...a _search body with {{placeholders}}... },
 *   "requests": [ { "id": "q1", "params": { "query": "aa battery" } } ],
 *   "ratings":  [ { "request": "q1", "_id": "123", "grade": 3 } ],
 *   "metrics":  [ "ndcg@10", "mrr@10", "precision@10", "recall@100", "judged@10" ],
 *   "relevant_grade": 1,
 *   "missing_rated_docs": "fail" }
 * </pre>
 * In place of {@code ratings}, {@code "ratings_from": {"events": {...}}} grades the requests from logged impressions and
 * clicks ({@link JudgmentOptions}); the requests may then be left out (one per logged query). Such a request is
 * complete only once {@link #withJudgments} has given it the judgments, read by the action before anything runs.
 */
public record EvaluationRequest(
        Map<String, Object> template,
        SearchTemplate searchTemplate,
        List<JudgedRequest> requests,
        List<MetricSpec> metrics,
        int relevantGrade,
        RatedDocsCheck.Mode missingRatedDocs,
        JudgmentOptions ratingsFrom) {

    static final Set<String> KEYS = Set.of(
            "template", "requests", "ratings", "ratings_from", "metrics", "relevant_grade", RatedDocsCheck.Mode.FIELD);

    /** Whether the ratings are still to be computed from the events ({@link #withJudgments}). */
    public boolean needsJudgments() {
        return ratingsFrom != null;
    }

    /**
     * This request graded by the events' judgments: each request's ratings are those of the logged query equal to its
     * {@code query_param} (normalised as {@link Judgments#normalize}); with no requests in the body, one request per
     * logged query. A 400 when no request matches a logged query.
     */
    public EvaluationRequest withJudgments(String api, Judgments judgments) {
        Map<String, Map<String, Integer>> byQuery = judgments.gradesByQuery();
        String param = ratingsFrom.queryParam();
        List<JudgedRequest> graded = new ArrayList<>();
        if (requests.isEmpty()) {
            byQuery.forEach((query, grades) -> graded.add(new JudgedRequest(query, Map.of(param, query), grades)));
        } else {
            for (JudgedRequest r : requests) {
                Object text = r.params().get(param);
                Map<String, Integer> grades = text == null ? null : byQuery.get(Judgments.normalize(text.toString()));
                graded.add(new JudgedRequest(r.id(), r.params(), grades == null ? Map.of() : grades));
            }
        }
        if (graded.stream().allMatch(r -> r.ratings().isEmpty())) {
            throw new IllegalArgumentException("[" + api + "] none of the " + requests.size() + " requests' [" + param
                    + "] is a query of the " + byQuery.size() + " queries judged from [" + ratingsFrom.eventsIndex()
                    + "] (set [ratings_from.events.query_param] to the parameter that holds the query text)");
        }
        for (JudgedRequest r : graded) {
            searchTemplate.render(r.id(), r.params());
        }
        return new EvaluationRequest(template, searchTemplate, graded, metrics, relevantGrade, missingRatedDocs, null);
    }

    /** This request with the given requests, checked to render (a training from impressions gives one per impression). */
    public EvaluationRequest withRequests(List<JudgedRequest> given) {
        for (JudgedRequest r : given) {
            searchTemplate.render(r.id(), r.params());
        }
        return new EvaluationRequest(
                template, searchTemplate, List.copyOf(given), metrics, relevantGrade, missingRatedDocs, ratingsFrom);
    }

    public int maxK() {
        return metrics.stream().mapToInt(MetricSpec::k).max().orElse(10);
    }

    /** A body of {@code _evaluate} or {@code _tune}: rated documents missing from the index fail it unless it says otherwise. */
    public static EvaluationRequest parse(String api, Map<String, Object> body, Set<String> extraKeys) {
        return parse(api, body, extraKeys, RatedDocsCheck.Mode.FAIL);
    }

    public static EvaluationRequest parse(
            String api, Map<String, Object> body, Set<String> extraKeys, RatedDocsCheck.Mode missingByDefault) {
        return parse(api, body, extraKeys, missingByDefault, false);
    }

    /**
     * @param requestsLater the requests come from elsewhere ({@link #withRequests}): the body has none, nor ratings
     */
    @SuppressWarnings("unchecked")
    public static EvaluationRequest parse(
            String api,
            Map<String, Object> body,
            Set<String> extraKeys,
            RatedDocsCheck.Mode missingByDefault,
            boolean requestsLater) {
        for (String key : body.keySet()) {
            if (KEYS.contains(key) == false && extraKeys.contains(key) == false) {
                throw new IllegalArgumentException("[" + api + "] unknown parameter [" + key + "]");
            }
        }
        if (body.get("template") instanceof Map<?, ?> == false) {
            throw new IllegalArgumentException("[" + api
                    + "] requires [template]: a _search body, with {{placeholders}} for the request's params");
        }
        Map<String, Object> template = (Map<String, Object>) body.get("template");
        JudgmentOptions ratingsFrom = null;
        if (body.containsKey("ratings_from")) {
            if (body.containsKey("ratings")) {
                throw new IllegalArgumentException("[" + api + "] takes [ratings] or [ratings_from], not both");
            }
            if (body.get("ratings_from") instanceof Map<?, ?> from
                    && from.size() == 1
                    && from.get("events") instanceof Map<?, ?> events) {
                ratingsFrom = JudgmentOptions.parse(api, events, null);
            } else {
                throw new IllegalArgumentException("[" + api + "] [ratings_from] must be {\"events\": {...}}: the "
                        + "options of judgments from logged impressions and clicks, as _from_events takes them");
            }
        }
        boolean requestsFromEvents = (ratingsFrom != null || requestsLater) && body.containsKey("requests") == false;
        if (requestsFromEvents == false
                && (body.get("requests") instanceof List<?> == false || ((List<?>) body.get("requests")).isEmpty())) {
            throw new IllegalArgumentException(
                    "[" + api + "] requires [requests]: a non-empty array of {\"id\": ..., \"params\": {...}}");
        }
        Map<String, Map<String, Object>> params = new LinkedHashMap<>();
        for (Object o : requestsFromEvents ? List.of() : (List<?>) body.get("requests")) {
            if (o instanceof Map<?, ?> r && r.get("id") instanceof String id && id.isBlank() == false) {
                Object p = r.containsKey("params") ? r.get("params") : Map.of();
                if (p instanceof Map<?, ?> == false) {
                    throw new IllegalArgumentException(
                            "[" + api + "] request [" + id + "]: [params] must be an object");
                }
                for (Object key : r.keySet()) {
                    if (key.equals("id") == false && key.equals("params") == false) {
                        throw new IllegalArgumentException(
                                "[" + api + "] request [" + id + "]: unknown field [" + key + "]");
                    }
                }
                if (params.put(id, (Map<String, Object>) p) != null) {
                    throw new IllegalArgumentException("[" + api + "] request id [" + id + "] appears twice");
                }
            } else {
                throw new IllegalArgumentException(
                        "[" + api + "] each of [requests] must be an object with a non-empty string [id]");
            }
        }
        Map<String, Map<String, Integer>> ratings = new HashMap<>();
        if (body.get("ratings") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> r
                        && r.get("request") instanceof String request
                        && r.get("_id") != null
                        && r.get("grade") instanceof Integer grade) {
                    if (params.containsKey(request) == false) {
                        throw new IllegalArgumentException(
                                "[" + api + "] a rating names request [" + request + "], which is not in [requests]");
                    }
                    if (grade < 0) {
                        throw new IllegalArgumentException("[" + api + "] grades must be >= 0 but request [" + request
                                + "] rates [" + r.get("_id") + "] " + grade);
                    }
                    ratings.computeIfAbsent(request, k -> new HashMap<>())
                            .put(r.get("_id").toString(), grade);
                } else {
                    throw new IllegalArgumentException("[" + api
                            + "] each of [ratings] must be {\"request\": id, \"_id\": doc id, \"grade\": integer} but got "
                            + o);
                }
            }
        } else if (body.get("ratings") != null) {
            throw new IllegalArgumentException("[" + api + "] [ratings] must be an array");
        }
        List<MetricSpec> metrics = new ArrayList<>();
        Object m = body.getOrDefault("metrics", List.of("ndcg@10"));
        if (m instanceof List<?> names && names.isEmpty() == false) {
            for (Object name : names) {
                metrics.add(MetricSpec.parse(String.valueOf(name)));
            }
        } else {
            throw new IllegalArgumentException(
                    "[" + api + "] [metrics] must be a non-empty array such as [\"ndcg@10\", \"mrr@10\"]");
        }
        Object threshold = body.getOrDefault("relevant_grade", 1);
        if (threshold instanceof Integer == false || (Integer) threshold < 1) {
            throw new IllegalArgumentException("[" + api + "] [relevant_grade] must be an integer >= 1");
        }
        RatedDocsCheck.Mode missingRatedDocs =
                RatedDocsCheck.Mode.parse(api, body.get(RatedDocsCheck.Mode.FIELD), missingByDefault);
        SearchTemplate searchTemplate = SearchTemplate.of(template);
        List<JudgedRequest> requests = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : params.entrySet()) {
            searchTemplate.render(e.getKey(), e.getValue()); // every placeholder filled, or a 400 naming it
            requests.add(new JudgedRequest(e.getKey(), e.getValue(), ratings.getOrDefault(e.getKey(), Map.of())));
        }
        return new EvaluationRequest(
                template, searchTemplate, requests, metrics, (Integer) threshold, missingRatedDocs, ratingsFrom);
    }
}

package org.semanticranking.evaluation;

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
 */
public record EvaluationRequest(
        Map<String, Object> template,
        SearchTemplate searchTemplate,
        List<JudgedRequest> requests,
        List<MetricSpec> metrics,
        int relevantGrade,
        RatedDocsCheck.Mode missingRatedDocs) {

    static final Set<String> KEYS =
            Set.of("template", "requests", "ratings", "metrics", "relevant_grade", RatedDocsCheck.Mode.FIELD);

    public int maxK() {
        return metrics.stream().mapToInt(MetricSpec::k).max().orElse(10);
    }

    /** A body of {@code _evaluate} or {@code _tune}: rated documents missing from the index fail it unless it says otherwise. */
    public static EvaluationRequest parse(String api, Map<String, Object> body, Set<String> extraKeys) {
        return parse(api, body, extraKeys, RatedDocsCheck.Mode.FAIL);
    }

    @SuppressWarnings("unchecked")
    public static EvaluationRequest parse(
            String api, Map<String, Object> body, Set<String> extraKeys, RatedDocsCheck.Mode missingByDefault) {
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
        if (body.get("requests") instanceof List<?> == false || ((List<?>) body.get("requests")).isEmpty()) {
            throw new IllegalArgumentException(
                    "[" + api + "] requires [requests]: a non-empty array of {\"id\": ..., \"params\": {...}}");
        }
        Map<String, Map<String, Object>> params = new LinkedHashMap<>();
        for (Object o : (List<?>) body.get("requests")) {
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
                template, searchTemplate, requests, metrics, (Integer) threshold, missingRatedDocs);
    }
}

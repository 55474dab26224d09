package org.semanticranking.ranking.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The candidates of judged requests with their features and grades, one group per request, in the first stage's order.
 * Rows are packed in one float array per request: 6,000 requests of 100 candidates with 50 features take 120 MB.
 */
public final class TrainingSet {

    /**
     * One request's candidates: ids, features ({@code ids.length * featureCount}, row by row), grades, and the request's
     * weight in the fit (1 for judged requests; an impression's inverse propensity when trained from clicks).
     */
    public record Group(String requestId, String[] ids, float[] features, int[] labels, float weight) {

        public Group(String requestId, String[] ids, float[] features, int[] labels) {
            this(requestId, ids, features, labels, 1f);
        }

        public int size() {
            return ids.length;
        }

        public float[] row(int i, int featureCount) {
            float[] row = new float[featureCount];
            System.arraycopy(features, i * featureCount, row, 0, featureCount);
            return row;
        }
    }

    private final List<String> featureNames;
    private final List<Group> groups = new ArrayList<>();

    public TrainingSet(List<String> featureNames) {
        this.featureNames = List.copyOf(featureNames);
    }

    public void add(Group group) {
        if (group.features().length != group.size() * featureNames.size()) {
            throw new IllegalArgumentException("request [" + group.requestId() + "] has features of the wrong size");
        }
        groups.add(group);
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public int featureCount() {
        return featureNames.size();
    }

    public List<Group> groups() {
        return groups;
    }

    /** The groups at the given indices. */
    public List<Group> groups(List<Integer> indices) {
        return indices.stream().map(groups::get).toList();
    }

    public long rows() {
        return groups.stream().mapToLong(Group::size).sum();
    }
}

package org.semanticranking.ranking.model;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradient-boosted regression trees, as the training library dumped them: {@code score = base_score + sum of the
 * leaves reached}. A node sends a hit to {@code yes} when its value is below the threshold (compared in float, as the
 * library does), to {@code missing} when it has none. Each node also keeps the cover-weighted mean of the leaves below
 * it, so that a score splits into per-feature parts along the path (the change of the mean at each split, credited to
 * the split's feature): the parts and the bias sum to the score.
 */
public record TreeEnsemble(double baseScore, List<Tree> trees, int featureCount) implements RankerModel {

    public static final String TYPE = "trees";

    /** One tree in arrays; a leaf has feature -1 and its value in {@code value}. */
    public record Tree(int[] feature, float[] threshold, int[] yes, int[] no, int[] missing, double[] value) {

        int leaf(float[] x) {
            int node = 0;
            while (feature[node] >= 0) {
                float v = x[feature[node]];
                node = Float.isNaN(v) ? missing[node] : v < threshold[node] ? yes[node] : no[node];
            }
            return node;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tree t
                    && Arrays.equals(feature, t.feature)
                    && Arrays.equals(threshold, t.threshold)
                    && Arrays.equals(yes, t.yes)
                    && Arrays.equals(no, t.no)
                    && Arrays.equals(missing, t.missing)
                    && Arrays.equals(value, t.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(feature) * 31 + Arrays.hashCode(value);
        }

        int nodes() {
            return feature.length;
        }
    }

    public TreeEnsemble {
        trees = List.copyOf(trees);
    }

    TreeEnsemble(StreamInput in) throws IOException {
        this(in.readDouble(), in.readCollectionAsList(TreeEnsemble::readTree), in.readVInt());
    }

    private static Tree readTree(StreamInput in) throws IOException {
        return new Tree(
                Arrays.stream(in.readVIntArray()).map(f -> f - 1).toArray(),
                in.readFloatArray(),
                in.readVIntArray(),
                in.readVIntArray(),
                in.readVIntArray(),
                in.readDoubleArray());
    }

    @Override
    public String type() {
        return TYPE;
    }

    public int nodes() {
        return trees.stream().mapToInt(Tree::nodes).sum();
    }

    @Override
    public double score(float[] x) {
        double s = baseScore;
        for (Tree t : trees) {
            s += t.value[t.leaf(x)];
        }
        return s;
    }

    @Override
    public Contributions contributions(float[] x) {
        double bias = baseScore;
        double[] parts = new double[featureCount];
        for (Tree t : trees) {
            int node = 0;
            bias += t.value[0];
            while (t.feature[node] >= 0) {
                float v = x[t.feature[node]];
                int next = Float.isNaN(v) ? t.missing[node] : v < t.threshold[node] ? t.yes[node] : t.no[node];
                parts[t.feature[node]] += t.value[next] - t.value[node];
                node = next;
            }
        }
        return new Contributions(bias, parts);
    }

    @Override
    public void writeModel(StreamOutput out) throws IOException {
        out.writeDouble(baseScore);
        out.writeCollection(trees, (o, t) -> {
            // leaves' -1 as a VInt is 5 bytes: shift every feature by one
            o.writeVIntArray(Arrays.stream(t.feature).map(f -> f + 1).toArray());
            o.writeFloatArray(t.threshold);
            o.writeVIntArray(t.yes);
            o.writeVIntArray(t.no);
            o.writeVIntArray(t.missing);
            o.writeDoubleArray(t.value);
        });
        out.writeVInt(featureCount);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject().field("type", TYPE).field("base_score", baseScore).field("features", featureCount);
        builder.startArray("trees");
        for (Tree t : trees) {
            builder.startObject()
                    .array("feature", t.feature)
                    .array("threshold", t.threshold)
                    .array("yes", t.yes)
                    .array("no", t.no)
                    .array("missing", t.missing)
                    .array("value", t.value)
                    .endObject();
        }
        builder.endArray();
        return builder.endObject();
    }

    static TreeEnsemble fromMap(Map<String, Object> map) {
        List<Tree> trees = new ArrayList<>();
        for (Object o : (List<?>) map.get("trees")) {
            Map<?, ?> t = (Map<?, ?>) o;
            double[] threshold = LinearModel.doubles(t.get("threshold"));
            float[] thresholds = new float[threshold.length];
            for (int i = 0; i < threshold.length; i++) {
                thresholds[i] = (float) threshold[i];
            }
            trees.add(new Tree(
                    ints(t.get("feature")),
                    thresholds,
                    ints(t.get("yes")),
                    ints(t.get("no")),
                    ints(t.get("missing")),
                    LinearModel.doubles(t.get("value"))));
        }
        return new TreeEnsemble(
                ((Number) map.get("base_score")).doubleValue(), trees, ((Number) map.get("features")).intValue());
    }

    private static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    /**
     * Reads the library's JSON dump of each tree (with stats, for the covers), its features named {@code f0}, {@code
     * f1}, ...
     */
    public static TreeEnsemble fromDump(String[] treeDumps, double baseScore, int featureCount) {
        List<Tree> trees = new ArrayList<>(treeDumps.length);
        for (String dump : treeDumps) {
            trees.add(tree(XContentHelper.convertToMap(XContentType.JSON.xContent(), dump, false)));
        }
        return new TreeEnsemble(baseScore, trees, featureCount);
    }

    private static Tree tree(Map<String, Object> root) {
        List<Map<String, Object>> nodes = new ArrayList<>();
        Map<Integer, Integer> indexOfId = new HashMap<>();
        collect(root, nodes, indexOfId);
        int n = nodes.size();
        int[] feature = new int[n], yes = new int[n], no = new int[n], missing = new int[n];
        float[] threshold = new float[n];
        double[] value = new double[n];
        double[] cover = new double[n];
        for (int i = 0; i < n; i++) {
            Map<String, Object> node = nodes.get(i);
            cover[i] = ((Number) node.get("cover")).doubleValue();
            if (node.containsKey("leaf")) {
                feature[i] = -1;
                value[i] = (float) ((Number) node.get("leaf")).doubleValue();
            } else {
                String split = node.get("split").toString();
                feature[i] = Integer.parseInt(split.substring(1));
                threshold[i] = (float) ((Number) node.get("split_condition")).doubleValue();
                yes[i] = indexOfId.get(((Number) node.get("yes")).intValue());
                no[i] = indexOfId.get(((Number) node.get("no")).intValue());
                missing[i] = indexOfId.get(((Number) node.get("missing")).intValue());
            }
        }
        // children come after their parent: the means fill bottom-up
        for (int i = n - 1; i >= 0; i--) {
            if (feature[i] >= 0) {
                double c = cover[yes[i]] + cover[no[i]];
                value[i] = c > 0
                        ? (cover[yes[i]] * value[yes[i]] + cover[no[i]] * value[no[i]]) / c
                        : (value[yes[i]] + value[no[i]]) / 2;
            }
        }
        return new Tree(feature, threshold, yes, no, missing, value);
    }

    @SuppressWarnings("unchecked")
    private static void collect(
            Map<String, Object> node, List<Map<String, Object>> nodes, Map<Integer, Integer> indexOfId) {
        indexOfId.put(((Number) node.get("nodeid")).intValue(), nodes.size());
        nodes.add(node);
        Object children = node.get("children");
        if (children instanceof List<?> list) {
            for (Object child : list) {
                collect((Map<String, Object>) child, nodes, indexOfId);
            }
        }
    }
}

package org.semanticranking.ranking.model;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentObject;

import java.io.IOException;
import java.util.Map;

/**
 * A learned scoring function over a feature vector: the score of a hit, and how each feature contributed to it (the
 * parts sum to the score, with the bias).
 */
public sealed interface RankerModel extends Writeable, ToXContentObject permits LinearModel, TreeEnsemble {

    /** The bias and each feature's part of a hit's score: {@code score = bias + sum(features)}. */
    record Contributions(double bias, double[] features) {
        public double score() {
            double s = bias;
            for (double f : features) {
                s += f;
            }
            return s;
        }
    }

    String type();

    int featureCount();

    double score(float[] features);

    Contributions contributions(float[] features);

    @Override
    default void writeTo(StreamOutput out) throws IOException {
        out.writeString(type());
        writeModel(out);
    }

    void writeModel(StreamOutput out) throws IOException;

    static RankerModel readFrom(StreamInput in) throws IOException {
        String type = in.readString();
        return switch (type) {
            case LinearModel.TYPE -> new LinearModel(in);
            case TreeEnsemble.TYPE -> new TreeEnsemble(in);
            default -> throw new IllegalStateException("unknown model type [" + type + "]");
        };
    }

    /** A model as stored ({@link #toXContent}), read back from a document's source. */
    static RankerModel fromMap(Map<String, Object> map) {
        Object type = map.get("type");
        if (LinearModel.TYPE.equals(type)) {
            return LinearModel.fromMap(map);
        }
        if (TreeEnsemble.TYPE.equals(type)) {
            return TreeEnsemble.fromMap(map);
        }
        throw new IllegalArgumentException("unknown model type [" + type + "]");
    }
}

package org.semanticranking.rescore;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Map;

/** The weights of the three parts of {@code personalized_blend}: finite, >= 0, not all zero. */
public record BlendWeights(double query, double vector, double personalization) implements Writeable, ToXContentObject {

    public static final BlendWeights DEFAULT = new BlendWeights(0.3, 0.4, 0.3);

    public BlendWeights {
        check("query", query);
        check("vector", vector);
        check("personalization", personalization);
        if (query + vector + personalization == 0) {
            throw new IllegalArgumentException("[weights] of [personalized_blend] must not all be 0");
        }
    }

    private static void check(String name, double value) {
        if (Double.isFinite(value) == false || value < 0) {
            throw new IllegalArgumentException("[weights." + name
                    + "] of [personalized_blend] must be a finite number >= 0 but was [" + value + "]");
        }
    }

    /** From a request's {@code weights} object: the parts it names (the others keep their default). */
    static BlendWeights fromMap(Map<String, Object> weights) {
        double q = DEFAULT.query, v = DEFAULT.vector, p = DEFAULT.personalization;
        for (Map.Entry<String, Object> e : weights.entrySet()) {
            if ((e.getValue() instanceof Number) == false) {
                throw new IllegalArgumentException(
                        "[personalized_blend] [weights." + e.getKey() + "] must be a number");
            }
            Number n = (Number) e.getValue();
            switch (e.getKey()) {
                case "query" -> q = n.doubleValue();
                case "vector" -> v = n.doubleValue();
                case "personalization" -> p = n.doubleValue();
                default ->
                    throw new IllegalArgumentException("[personalized_blend] unknown weight [" + e.getKey()
                            + "]; expected [query], [vector] and [personalization]");
            }
        }
        return new BlendWeights(q, v, p);
    }

    public BlendWeights(StreamInput in) throws IOException {
        this(in.readDouble(), in.readDouble(), in.readDouble());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeDouble(query);
        out.writeDouble(vector);
        out.writeDouble(personalization);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject()
                .field("query", query)
                .field("vector", vector)
                .field("personalization", personalization)
                .endObject();
    }
}

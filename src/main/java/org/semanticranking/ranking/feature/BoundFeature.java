package org.semanticranking.ranking.feature;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.index.query.QueryBuilder;
import org.semanticranking.personalization.profile.PriceTaste;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A feature with what it reads from the request filled in on the coordinating node (its query rendered and
 * rewritten, its text encoded or analyzed later on the shard, its intent's values found): what the shards compute for
 * each hit of their window, from their own data only.
 */
public sealed interface BoundFeature extends Writeable {

    String name();

    static BoundFeature readFrom(StreamInput in) throws IOException {
        byte kind = in.readByte();
        String name = in.readString();
        return switch (kind) {
            case 0 -> new QueryScore(name, in.readNamedWriteable(QueryBuilder.class));
            case 1 -> new VectorCosine(name, in.readString(), in.readFloatArray());
            case 2 -> new FieldValue(name, in.readString(), in.readEnum(FieldFeature.Modifier.class), in.readDouble());
            case 3 -> new FirstPass(name, in.readEnum(FirstPassFeature.Measure.class));
            case 4 -> new TermMatch(name, in.readString(), in.readEnum(TermsFeature.Measure.class), in.readString());
            case 5 -> new Constant(name, in.readDouble());
            case 6 -> new TopScore(name, in.readEnum(QueryLevelFeature.Measure.class));
            case 7 -> new IntentMatch(name, in.readString(), in.readStringCollectionAsList());
            case 8 -> new AffinityShares(name, in.readString(), in.readMap(StreamInput::readDouble));
            case 9 -> new PriceFit(name, in.readString(), in.readDouble(), in.readDouble());
            case 10 -> new PriceLift(name, in.readString(), new PriceTaste(in));
            case 11 -> new MaxCosine(name, in.readString(), in.readCollectionAsList(StreamInput::readFloatArray));
            case 12 -> new WindowRelative(name, in.readString(), in.readEnum(WindowFeature.Measure.class));
            case 13 -> new PricePosition(name, in.readString(), in.readDouble());
            case 14 -> new ProductValues(name, in.readMap(StreamInput::readDouble), in.readDouble());
            default -> throw new IllegalStateException("unknown bound feature [" + kind + "]");
        };
    }

    /** The score of a rendered, rewritten query. */
    record QueryScore(String name, QueryBuilder query) implements BoundFeature {
        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 0);
            out.writeString(name);
            out.writeNamedWriteable(query);
        }

        public QueryScore withQuery(QueryBuilder rewritten) {
            return new QueryScore(name, rewritten);
        }
    }

    /** The cosine of the encoded text and the hit's vector. */
    record VectorCosine(String name, String field, float[] vector) implements BoundFeature {
        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 1);
            out.writeString(name);
            out.writeString(field);
            out.writeFloatArray(vector);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof VectorCosine v
                    && name.equals(v.name)
                    && field.equals(v.field)
                    && Arrays.equals(vector, v.vector);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, field, Arrays.hashCode(vector));
        }

        @Override
        public String toString() {
            return "VectorCosine[" + name + ", " + field + ", " + vector.length + " dims]";
        }
    }

    record FieldValue(String name, String field, FieldFeature.Modifier modifier, double missing)
            implements BoundFeature {
        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 2);
            out.writeString(name);
            out.writeString(field);
            out.writeEnum(modifier);
            out.writeDouble(missing);
        }
    }

    record FirstPass(String name, FirstPassFeature.Measure measure) implements BoundFeature {
        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 3);
            out.writeString(name);
            out.writeEnum(measure);
        }
    }

    /** The text's terms, analyzed on the shard with the field's search analyzer. */
    record TermMatch(String name, String field, TermsFeature.Measure measure, String text) implements BoundFeature {
        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 4);
            out.writeString(name);
            out.writeString(field);
            out.writeEnum(measure);
            out.writeString(text);
        }
    }

    /** A query-level value computed from the text on the coordinating node. */
    record Constant(String name, double value) implements BoundFeature {
        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 5);
            out.writeString(name);
            out.writeDouble(value);
        }
    }

    /** A query-level value of the first stage: the best score of a side, or of the first pass. */
    record TopScore(String name, QueryLevelFeature.Measure measure) implements BoundFeature {
        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 6);
            out.writeString(name);
            out.writeEnum(measure);
        }
    }

    /** The values of a keyword field that the text names. */
    record IntentMatch(String name, String field, List<String> named) implements BoundFeature {
        public IntentMatch {
            named = List.copyOf(named);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 7);
            out.writeString(name);
            out.writeString(field);
            out.writeStringCollection(named);
        }
    }

    /** The shopper's share for each value of a keyword field: the hit's feature is the sum of its values', at most 1. */
    record AffinityShares(String name, String field, Map<String, Double> shares) implements BoundFeature {
        public AffinityShares {
            shares = Map.copyOf(shares);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 8);
            out.writeString(name);
            out.writeString(field);
            out.writeMap(shares, StreamOutput::writeDouble);
        }
    }

    /** 1 at the shopper's typical log price, a Gaussian of the spread of their prices around it. */
    record PriceFit(String name, String field, double logMean, double logStd) implements BoundFeature {
        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 9);
            out.writeString(name);
            out.writeString(field);
            out.writeDouble(logMean);
            out.writeDouble(logStd);
        }
    }

    /** How much more the shopper clicks at the hit's price than the lists they were shown predict (log lift). */
    record PriceLift(String name, String field, PriceTaste taste) implements BoundFeature {
        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 10);
            out.writeString(name);
            out.writeString(field);
            taste.writeTo(out);
        }
    }

    /** The hit's highest cosine with any of the vectors (the products of the shopper's latest events). */
    record MaxCosine(String name, String field, List<float[]> vectors) implements BoundFeature {
        public MaxCosine {
            vectors = List.copyOf(vectors);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 11);
            out.writeString(name);
            out.writeString(field);
            out.writeCollection(vectors, StreamOutput::writeFloatArray);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MaxCosine other
                    && name.equals(other.name)
                    && field.equals(other.field)
                    && Arrays.deepEquals(vectors.toArray(), other.vectors.toArray());
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, field, Arrays.deepHashCode(vectors.toArray()));
        }
    }

    /** Another feature's value relative to the rest of the shard's window, computed once all hits have it. */
    record WindowRelative(String name, String feature, WindowFeature.Measure measure) implements BoundFeature {
        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 12);
            out.writeString(name);
            out.writeString(feature);
            out.writeEnum(measure);
        }
    }

    /** The hit's place in the window's price range (-1 to 1) times the shopper's place in their lists' (-1 to 1). */
    record PricePosition(String name, String field, double listPosition) implements BoundFeature {
        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 13);
            out.writeString(name);
            out.writeString(field);
            out.writeDouble(listPosition);
        }
    }

    /** A value per product id (what the query's logged clicks say of it); {@code missing} for any other product. */
    record ProductValues(String name, Map<String, Double> values, double missing) implements BoundFeature {
        public ProductValues {
            values = Map.copyOf(values);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeByte((byte) 14);
            out.writeString(name);
            out.writeMap(new java.util.TreeMap<>(values), StreamOutput::writeDouble);
            out.writeDouble(missing);
        }
    }
}

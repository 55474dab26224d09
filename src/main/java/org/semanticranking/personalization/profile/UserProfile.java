package org.semanticranking.personalization.profile;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A shopper's taste, built from their interactions: the time-decayed, event-weighted mean of the vectors
 * of the products they interacted with (unit length), their affinity over the values of keyword fields
 * (each field's shares sum to 1), the weighted mean and spread of the log of the prices they went for, and
 * where on the price scale they click more than the result lists they were shown predict ({@link PriceTaste}).
 * Stored as the source of a document in the profiles index, and accepted inline by the rescorer.
 */
public final class UserProfile implements Writeable, ToXContentObject {

    /** Mean and standard deviation of log(price), weighted like the vector. */
    public record PriceStats(double logMean, double logStd) {}

    private final String userId;
    private final float[] vector;
    private final double weight;
    private final long events;
    private final Map<String, Map<String, Double>> affinities;
    private final PriceStats price;
    private final PriceTaste priceTaste;
    private final long lastEventMillis;

    /** @param priceTaste {@code null} when the user was never shown a result list with logged slots */
    public UserProfile(
            String userId,
            float[] vector,
            double weight,
            long events,
            Map<String, Map<String, Double>> affinities,
            PriceStats price,
            PriceTaste priceTaste,
            long lastEventMillis) {
        this.userId = userId;
        this.vector = vector;
        this.weight = weight;
        this.events = events;
        this.affinities = affinities;
        this.price = price;
        this.priceTaste = priceTaste;
        this.lastEventMillis = lastEventMillis;
    }

    public UserProfile(StreamInput in) throws IOException {
        this.userId = in.readOptionalString();
        this.vector = in.readBoolean() ? in.readFloatArray() : null;
        this.weight = in.readDouble();
        this.events = in.readVLong();
        this.affinities = in.readImmutableMap(
                StreamInput::readString, i -> i.readImmutableMap(StreamInput::readString, StreamInput::readDouble));
        this.price = in.readBoolean() ? new PriceStats(in.readDouble(), in.readDouble()) : null;
        this.priceTaste = in.readOptionalWriteable(PriceTaste::new);
        this.lastEventMillis = in.readLong();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalString(userId);
        out.writeBoolean(vector != null);
        if (vector != null) {
            out.writeFloatArray(vector);
        }
        out.writeDouble(weight);
        out.writeVLong(events);
        out.writeMap(
                affinities,
                StreamOutput::writeString,
                (o, m) -> o.writeMap(m, StreamOutput::writeString, StreamOutput::writeDouble));
        out.writeBoolean(price != null);
        if (price != null) {
            out.writeDouble(price.logMean());
            out.writeDouble(price.logStd());
        }
        out.writeOptionalWriteable(priceTaste);
        out.writeLong(lastEventMillis);
    }

    /** Reads a profile from a profiles-index source or an inline {@code user} object; unknown keys are refused. */
    @SuppressWarnings("unchecked")
    public static UserProfile fromMap(String userId, Map<String, Object> map) {
        for (String key : map.keySet()) {
            if (List.of(
                                    "user_id",
                                    "vector",
                                    "weight",
                                    "events",
                                    "affinities",
                                    "price",
                                    "price_taste",
                                    "last_event",
                                    "built_at",
                                    "built_until")
                            .contains(key)
                    == false) {
                throw new IllegalArgumentException("unknown field [" + key + "] in a user profile");
            }
        }
        float[] vector = null;
        if (map.get("vector") instanceof List<?> values) {
            vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) {
                if (values.get(i) instanceof Number n && Double.isFinite(n.doubleValue())) {
                    vector[i] = n.floatValue();
                } else {
                    throw new IllegalArgumentException("[vector] of a user profile must hold finite numbers only");
                }
            }
        } else if (map.get("vector") != null) {
            throw new IllegalArgumentException("[vector] of a user profile must be an array of numbers");
        }
        Map<String, Map<String, Double>> affinities = new TreeMap<>();
        Object rawAffinities = map.get("affinities");
        if (rawAffinities instanceof Map<?, ?> fields) {
            for (Map.Entry<?, ?> field : fields.entrySet()) {
                if ((field.getValue() instanceof Map<?, ?>) == false) {
                    throw new IllegalArgumentException(
                            "[affinities." + field.getKey() + "] must be an object of value to share");
                }
                Map<?, ?> shares = (Map<?, ?>) field.getValue();
                Map<String, Double> parsed = new TreeMap<>();
                for (Map.Entry<?, ?> share : shares.entrySet()) {
                    if (share.getValue() instanceof Number n
                            && Double.isFinite(n.doubleValue())
                            && n.doubleValue() >= 0) {
                        parsed.put(share.getKey().toString(), n.doubleValue());
                    } else {
                        throw new IllegalArgumentException(
                                "[affinities." + field.getKey() + "." + share.getKey() + "] must be a number >= 0");
                    }
                }
                affinities.put(field.getKey().toString(), Map.copyOf(parsed));
            }
        } else if (rawAffinities != null) {
            throw new IllegalArgumentException("[affinities] of a user profile must be an object");
        }
        PriceStats price = null;
        if (map.get("price") instanceof Map<?, ?> p) {
            price = new PriceStats(number(p, "log_mean"), number(p, "log_std"));
        } else if (map.get("price") != null) {
            throw new IllegalArgumentException(
                    "[price] of a user profile must be an object with [log_mean] and [log_std]");
        }
        PriceTaste priceTaste = null;
        if (map.get("price_taste") instanceof Map<?, ?> t) {
            priceTaste = PriceTaste.fromMap(t);
        } else if (map.get("price_taste") != null) {
            throw new IllegalArgumentException(
                    "[price_taste] of a user profile must be an object with [bins], [clicks] and [expected]");
        }
        Object id = map.getOrDefault("user_id", userId);
        return new UserProfile(
                id == null ? null : id.toString(),
                vector,
                map.get("weight") instanceof Number w ? w.doubleValue() : 1.0,
                map.get("events") instanceof Number e ? e.longValue() : 0,
                Map.copyOf(affinities),
                price,
                priceTaste,
                map.get("last_event") instanceof Number t ? t.longValue() : 0);
    }

    private static double number(Map<?, ?> map, String key) {
        if (map.get(key) instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("[price." + key + "] of a user profile must be a finite number");
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        fieldsToXContent(builder);
        return builder.endObject();
    }

    /** The profile's fields, without the enclosing object: the profiles index adds its build's own beside them. */
    XContentBuilder fieldsToXContent(XContentBuilder builder) throws IOException {
        if (userId != null) {
            builder.field("user_id", userId);
        }
        if (vector != null) {
            builder.array("vector", vector);
        }
        builder.field("weight", weight);
        builder.field("events", events);
        builder.field("affinities", affinities);
        if (price != null) {
            builder.startObject("price")
                    .field("log_mean", price.logMean())
                    .field("log_std", price.logStd())
                    .endObject();
        }
        if (priceTaste != null) {
            builder.field("price_taste", priceTaste);
        }
        return builder.field("last_event", lastEventMillis);
    }

    public String userId() {
        return userId;
    }

    /** Unit length, or {@code null} when no interacted product had a vector. */
    public float[] vector() {
        return vector;
    }

    public double weight() {
        return weight;
    }

    public long events() {
        return events;
    }

    public Map<String, Map<String, Double>> affinities() {
        return affinities;
    }

    /** The share of this user's (decayed, weighted) interactions that went to products with this value of the field. */
    public double affinity(String field, String value) {
        return affinities.getOrDefault(field, Map.of()).getOrDefault(value, 0.0);
    }

    public PriceStats price() {
        return price;
    }

    /** {@code null} when the user was never shown a result list with logged slots. */
    public PriceTaste priceTaste() {
        return priceTaste;
    }

    public long lastEventMillis() {
        return lastEventMillis;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (o instanceof UserProfile == false) return false;
        UserProfile other = (UserProfile) o;
        return Objects.equals(userId, other.userId)
                && Arrays.equals(vector, other.vector)
                && weight == other.weight
                && events == other.events
                && affinities.equals(other.affinities)
                && Objects.equals(price, other.price)
                && Objects.equals(priceTaste, other.priceTaste)
                && lastEventMillis == other.lastEventMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                userId, Arrays.hashCode(vector), weight, events, affinities, price, priceTaste, lastEventMillis);
    }

    @Override
    public String toString() {
        return "UserProfile[" + userId + ", events=" + events + "]";
    }
}

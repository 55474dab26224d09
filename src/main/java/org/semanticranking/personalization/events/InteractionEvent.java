package org.semanticranking.personalization.events;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * One logged interaction, as stored in the interactions index:
 * {@code user_id}, {@code product_id}, {@code type}, {@code @timestamp}, and optionally {@code query},
 * {@code position} and {@code impression_id}.
 */
public record InteractionEvent(
        String userId,
        String productId,
        InteractionType type,
        long timestampMillis,
        String query,
        Integer position,
        String impressionId) {

    public static final String USER_ID = "user_id";
    public static final String PRODUCT_ID = "product_id";
    public static final String TYPE = "type";
    public static final String TIMESTAMP = "@timestamp";
    public static final String QUERY = "query";
    public static final String POSITION = "position";
    public static final String IMPRESSION_ID = "impression_id";
    /** An {@code interleave} experiment's name and the side of the hit, from the hit's {@code fields._interleave}. */
    public static final String EXPERIMENT = "experiment";

    public static final String SIDE = "side";
    /** What a click on the hit credits side {@code a} (negative: side {@code b}), from {@code fields._interleave}. */
    public static final String CREDIT = "credit";

    /** The interactions index mapping the plugin documents and the {@code interaction_event} processor expects. */
    public static final String MAPPING = """
        {"dynamic":"strict","properties":{
          "user_id":{"type":"keyword"},"product_id":{"type":"keyword"},"type":{"type":"keyword"},
          "@timestamp":{"type":"date"},"query":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},
          "position":{"type":"integer"},"impression_id":{"type":"keyword"},
          "experiment":{"type":"keyword"},"side":{"type":"keyword"},"credit":{"type":"float"}}}""";

    /**
     * A view logged as part of an impression (a result list shown): exposure, not interest. It names the
     * negatives of training and the expected clicks of the price taste ({@link PriceTaste}), and is left out of the
     * rest of the profile and of session vectors.
     */
    public boolean isExposure() {
        return type == InteractionType.VIEW && impressionId != null;
    }

    /** Reads and checks one event; the message of the exception says what is wrong with it. */
    public static InteractionEvent fromSource(Map<String, Object> source) {
        String user = requiredString(source, USER_ID);
        String product = requiredString(source, PRODUCT_ID);
        InteractionType type = InteractionType.parse(requiredString(source, TYPE));
        long timestamp = timestamp(source.get(TIMESTAMP));
        Object query = source.get(QUERY);
        Object position = source.get(POSITION);
        if (position != null && (position instanceof Number == false || ((Number) position).intValue() < 0)) {
            throw new IllegalArgumentException(
                    "[" + POSITION + "] must be a non-negative integer but was [" + position + "]");
        }
        Object impression = source.get(IMPRESSION_ID);
        return new InteractionEvent(
                user,
                product,
                type,
                timestamp,
                query == null ? null : query.toString(),
                position == null ? null : ((Number) position).intValue(),
                impression == null ? null : impression.toString());
    }

    private static String requiredString(Map<String, Object> source, String field) {
        Object value = source.get(field);
        if (value == null) {
            throw new IllegalArgumentException("interaction event is missing [" + field + "]");
        }
        if (value instanceof String == false && value instanceof Number == false) {
            throw new IllegalArgumentException("[" + field + "] must be a string but was ["
                    + value.getClass().getSimpleName() + "]");
        }
        String text = value.toString();
        if (text.isBlank()) {
            throw new IllegalArgumentException("[" + field + "] must not be blank");
        }
        return text;
    }

    static long timestamp(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("interaction event is missing [" + TIMESTAMP + "]");
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Instant.parse(value.toString()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "[" + TIMESTAMP + "] must be an ISO-8601 instant or epoch millis but was [" + value + "]");
        }
    }
}

package org.semanticranking.personalization.events;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a shopper did with a product. Clicks, carts and purchases are positive signals; a view is an impression. */
public enum InteractionType {
    VIEW,
    CLICK,
    ADD_TO_CART,
    PURCHASE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean positive() {
        return this != VIEW;
    }

    /** The positive types (clicks, carts, purchases), in order. */
    public static final List<InteractionType> POSITIVES =
            Arrays.stream(values()).filter(InteractionType::positive).toList();

    /** Their values, as the events' {@code type} holds them. */
    public static final List<String> POSITIVE_VALUES =
            POSITIVES.stream().map(InteractionType::value).toList();

    public static InteractionType parse(String value) {
        for (InteractionType type : values()) {
            if (type.value().equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown interaction type [" + value + "]; expected one of "
                + Arrays.stream(values()).map(InteractionType::value).collect(Collectors.joining(", ", "[", "]")));
    }
}

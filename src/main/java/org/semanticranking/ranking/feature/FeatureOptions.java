package org.semanticranking.ranking.feature;

import java.util.Arrays;
import java.util.Locale;

/** The enumerated options of the feature kinds (a measure, a modifier), read case-insensitively with one message. */
final class FeatureOptions {

    private FeatureOptions() {}

    /** The constant named {@code value}, or a 400 naming the feature, the option and the accepted values. */
    static <E extends Enum<E>> E parse(Class<E> type, String feature, String option, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[learned_rank] feature [" + feature + "]: unknown [" + option + "] ["
                    + value + "]; expected one of "
                    + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }
    }

    /** How an option is written: the constant's name in lower case. */
    static String value(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}

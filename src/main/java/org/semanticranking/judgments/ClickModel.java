package org.semanticranking.judgments;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How position bias is taken out of the clicks: {@code pbm} (the default) or {@code coec}. */
public enum ClickModel {
    /** the position-based model, its propensities estimated from the logs by EM ({@link PositionBasedModel}) */
    PBM,
    /** clicks over the clicks each slot's average click-through rate expects ({@link Coec}) */
    COEC;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ClickModel parse(String api, Object value) {
        for (ClickModel model : values()) {
            if (model.value().equals(value)) {
                return model;
            }
        }
        throw new IllegalArgumentException("[" + api + "] unknown [click_model] [" + value + "]; expected one of "
                + Arrays.stream(values()).map(ClickModel::value).collect(Collectors.joining(", ", "[", "]")));
    }
}

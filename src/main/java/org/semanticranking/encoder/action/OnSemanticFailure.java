package org.semanticranking.encoder.action;

import org.elasticsearch.common.settings.Setting;

import java.util.Locale;

/**
 * What a {@code semantic_hybrid} does when its semantic side cannot be encoded because the encoder is unavailable (the
 * model failed to load: 503; the encoder pool is saturated: 429). Read where the decision is made, by the encode
 * action on the coordinating node, for the queries that allow it ({@code lexical_fallback}).
 */
public enum OnSemanticFailure {
    /** answer with the lexical side alone, and a warning */
    FALLBACK,
    /** fail the search with the encoder's status */
    FAIL;

    public static final Setting<OnSemanticFailure> SETTING = Setting.enumSetting(
            OnSemanticFailure.class,
            "semantic_ranking.hybrid.on_semantic_failure",
            FALLBACK,
            Setting.Property.NodeScope,
            Setting.Property.Dynamic);

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

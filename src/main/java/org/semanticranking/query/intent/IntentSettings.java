package org.semanticranking.query.intent;

import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.core.TimeValue;

import java.util.List;

/** The node settings of query intent ({@code elasticsearch.yml}). */
public final class IntentSettings {

    private IntentSettings() {}

    /** How long a field's vocabulary is cached on the node. */
    public static final Setting<TimeValue> VOCABULARY_REFRESH = Setting.positiveTimeSetting(
            "semantic_ranking.intent.vocabulary_refresh", TimeValue.timeValueMinutes(1), Setting.Property.NodeScope);

    /** Values read per field; a catalogue's brands, colours and types fit well within it. */
    public static final Setting<Integer> MAX_VALUES =
            Setting.intSetting("semantic_ranking.intent.max_values", 10_000, 1, 65_536, Setting.Property.NodeScope);

    public static List<Setting<?>> all() {
        return List.of(VOCABULARY_REFRESH, MAX_VALUES);
    }
}

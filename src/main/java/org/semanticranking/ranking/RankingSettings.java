package org.semanticranking.ranking;

import org.elasticsearch.common.settings.Setting;

import java.util.List;

/** The node settings of learned ranking (all dynamic). */
public final class RankingSettings {

    private RankingSettings() {}

    /** Where trained rankers are stored, one document per ranker. */
    public static final Setting<String> RANKERS_INDEX = Setting.simpleString(
            "semantic_ranking.ranking.rankers_index",
            "semantic-ranking-rankers",
            Setting.Property.NodeScope,
            Setting.Property.Dynamic);

    /** Where named feature sets are stored. */
    public static final Setting<String> FEATURE_SETS_INDEX = Setting.simpleString(
            "semantic_ranking.ranking.feature_sets_index",
            "semantic-ranking-feature-sets",
            Setting.Property.NodeScope,
            Setting.Property.Dynamic);

    /** The threads a training's tree library may use (it runs on the jobs pool, one training at a time per thread). */
    public static final Setting<Integer> TRAINING_THREADS = Setting.intSetting(
            "semantic_ranking.ranking.training_threads",
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
            1,
            64,
            Setting.Property.NodeScope,
            Setting.Property.Dynamic);

    public static List<Setting<?>> all() {
        return List.of(RANKERS_INDEX, FEATURE_SETS_INDEX, TRAINING_THREADS);
    }
}

package org.semanticranking.ingest;

import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.cluster.metadata.ProjectMetadata;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.ingest.IngestMetadata;
import org.elasticsearch.ingest.PipelineConfiguration;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which model filled a vector field: the {@code semantic_embedding} processor that writes the field in
 * the indices' default or final pipeline. A query must be encoded with the model its documents were.
 */
public final class PipelineModels {

    private PipelineModels() {}

    /**
     * @return the model named by the pipelines of the indices that embed {@code field}, {@code null}
     *         when none does (or none names a model: the default model then)
     * @throws IllegalArgumentException when the indices embed the field with different models
     */
    public static String modelFor(ProjectMetadata project, String[] indices, String field, String defaultModel) {
        IngestMetadata ingest = project.custom(IngestMetadata.TYPE);
        if (ingest == null) {
            return null;
        }
        Map<String, String> modelByIndex = new TreeMap<>();
        for (String index : indices) {
            IndexMetadata metadata = project.index(index);
            if (metadata == null) {
                continue;
            }
            for (String pipeline : List.of(
                    IndexSettings.DEFAULT_PIPELINE.get(metadata.getSettings()),
                    IndexSettings.FINAL_PIPELINE.get(metadata.getSettings()))) {
                PipelineConfiguration config = ingest.getPipelines().get(pipeline);
                String model = config == null ? null : modelIn(config.getConfig(), field, defaultModel);
                if (model != null) {
                    modelByIndex.put(index, model);
                }
            }
        }
        if (modelByIndex.values().stream().distinct().count() > 1) {
            throw new IllegalArgumentException(
                    "[semantic_intent] field [" + field + "] is embedded with different models in the searched indices "
                            + modelByIndex + "; name the [model] and search one kind of index at a time");
        }
        return modelByIndex.values().stream().findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    /** The model of the processor that writes {@code field}: its {@code model}, or the default model when it names none. */
    private static String modelIn(Map<String, Object> pipeline, String field, String defaultModel) {
        if (pipeline.get("processors") instanceof List<?> processors) {
            for (Object p : processors) {
                if (p instanceof Map<?, ?> processor
                        && processor.get(SemanticEmbeddingProcessor.TYPE) instanceof Map<?, ?> options) {
                    Object target = ((Map<String, Object>) options)
                            .getOrDefault("target_field", SemanticEmbeddingProcessor.DEFAULT_TARGET_FIELD);
                    Object model = options.get("model");
                    if (field.equals(target)) {
                        return model instanceof String name && name.equals("default") == false ? name : defaultModel;
                    }
                }
            }
        }
        return null;
    }
}

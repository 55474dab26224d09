package org.semanticranking.ingest;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.cluster.metadata.ProjectId;
import org.elasticsearch.ingest.AbstractProcessor;
import org.elasticsearch.ingest.ConfigurationUtils;
import org.elasticsearch.ingest.IngestDocument;
import org.elasticsearch.ingest.Processor;
import org.semanticranking.encoder.EncoderService;
import org.semanticranking.encoder.OnnxTextEncoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * {@code semantic_embedding}: turns the text of one or more fields into a dense vector.
 *
 * <p>Asynchronous: the ingest thread hands the text to the encoder and moves on to the next
 * document, so the documents of one bulk request are gathered into length-sorted batches.
 */
public final class SemanticEmbeddingProcessor extends AbstractProcessor {

    public static final String TYPE = "semantic_embedding";
    public static final String DEFAULT_SEPARATOR = "\n";
    public static final String DEFAULT_TARGET_FIELD = "embedding";

    private final List<String> fields;
    private final String separator;
    private final String targetField;
    private final String model;
    private final boolean ignoreMissing;
    private final int maxTokens;
    private final Supplier<EncoderService> encoder;

    SemanticEmbeddingProcessor(
            String tag,
            String description,
            List<String> fields,
            String separator,
            String targetField,
            String model,
            boolean ignoreMissing,
            int maxTokens,
            Supplier<EncoderService> encoder) {
        super(tag, description);
        this.fields = List.copyOf(fields);
        this.separator = separator;
        this.targetField = targetField;
        this.model = model;
        this.ignoreMissing = ignoreMissing;
        this.maxTokens = maxTokens;
        this.encoder = encoder;
    }

    @Override
    public boolean isAsync() {
        return true;
    }

    @Override
    public void execute(IngestDocument document, BiConsumer<IngestDocument, Exception> handler) {
        final String text;
        try {
            text = textOf(document);
        } catch (Exception e) {
            handler.accept(null, e);
            return;
        }
        if (text == null) {
            if (ignoreMissing) {
                handler.accept(document, null);
            } else {
                String what = fields.size() == 1 ? "field [" + fields.get(0) + "]" : "none of the fields " + fields;
                handler.accept(
                        null,
                        new IllegalArgumentException(what + " has text to embed (missing, null, empty or blank)"));
            }
            return;
        }
        try {
            encoder.get()
                    .encode(
                            model,
                            text,
                            false,
                            maxTokens,
                            ActionListener.wrap(
                                    vector -> {
                                        List<Float> values = new ArrayList<>(vector.length);
                                        for (float v : vector) {
                                            values.add(v);
                                        }
                                        document.setFieldValue(targetField, values);
                                        handler.accept(document, null);
                                    },
                                    e -> handler.accept(null, e)));
        } catch (Exception e) {
            handler.accept(null, e);
        }
    }

    /**
     * The text to embed: the fields that have text, joined by the separator; {@code null} when none
     * has. Empty and whitespace-only values count as missing. Non-string values are refused.
     */
    String textOf(IngestDocument document) {
        StringBuilder text = new StringBuilder();
        for (String field : fields) {
            Object value = document.getFieldValue(field, Object.class, true);
            if (value == null) {
                continue;
            }
            if (value instanceof String s) {
                if (s.isBlank()) {
                    continue;
                }
                if (text.isEmpty() == false) {
                    text.append(separator);
                }
                text.append(s);
            } else {
                throw new IllegalArgumentException("field [" + field + "] is of type [" + typeName(value)
                        + "] and cannot be embedded: expected a string");
            }
        }
        return text.isEmpty() ? null : text.toString();
    }

    static String typeName(Object value) {
        if (value instanceof Number) {
            return "number";
        } else if (value instanceof Boolean) {
            return "boolean";
        } else if (value instanceof Map) {
            return "object";
        } else if (value instanceof List) {
            return "array";
        }
        return value.getClass().getSimpleName();
    }

    @Override
    public String getType() {
        return TYPE;
    }

    List<String> fields() {
        return fields;
    }

    String targetField() {
        return targetField;
    }

    String model() {
        return model;
    }

    int maxTokens() {
        return maxTokens;
    }

    public static final class Factory implements Processor.Factory {

        private final Supplier<EncoderService> encoder;

        public Factory(Supplier<EncoderService> encoder) {
            this.encoder = encoder;
        }

        @Override
        public Processor create(
                Map<String, Processor.Factory> registry,
                String tag,
                String description,
                Map<String, Object> config,
                ProjectId projectId) {
            String field = ConfigurationUtils.readOptionalStringProperty(TYPE, tag, config, "field");
            List<String> fieldList = ConfigurationUtils.readOptionalList(TYPE, tag, config, "fields");
            if ((field == null) == (fieldList == null)) {
                throw ConfigurationUtils.newConfigurationException(
                        TYPE, tag, "field", "exactly one of [field] and [fields] is required");
            }
            List<String> fields = field != null ? List.of(field) : fieldList;
            if (fields.isEmpty()) {
                throw ConfigurationUtils.newConfigurationException(TYPE, tag, "fields", "must name at least one field");
            }
            // the list is read unchecked: a config that could only fail every document is refused here, with a 400
            for (Object name : fields) {
                if ((name instanceof String text && text.isBlank() == false) == false) {
                    throw ConfigurationUtils.newConfigurationException(
                            TYPE,
                            tag,
                            "fields",
                            "must be a list of field names (non-empty strings) but has [" + name + "]");
                }
            }
            String separator = ConfigurationUtils.readStringProperty(TYPE, tag, config, "separator", DEFAULT_SEPARATOR);
            String targetField =
                    ConfigurationUtils.readStringProperty(TYPE, tag, config, "target_field", DEFAULT_TARGET_FIELD);
            String model = ConfigurationUtils.readOptionalStringProperty(TYPE, tag, config, "model");
            boolean ignoreMissing = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "ignore_missing", false);
            Integer maxTokens = ConfigurationUtils.readIntProperty(TYPE, tag, config, "max_tokens", null);

            EncoderService service = encoder.get();
            OnnxTextEncoder resolved;
            try {
                resolved = service.registry().get(model);
            } catch (IllegalArgumentException e) {
                throw ConfigurationUtils.newConfigurationException(TYPE, tag, "model", e.getMessage());
            } catch (RuntimeException e) {
                // a model that failed to load on this node: keep the pipeline (other nodes may have it),
                // documents fail with the reason when they reach it
                if (service.registry().exists(model) == false) {
                    throw e;
                }
                resolved = null;
            }
            int modelMax =
                    resolved == null ? Integer.MAX_VALUE : resolved.manifest().maxTokens();
            int effectiveMax = maxTokens == null ? modelMax : maxTokens;
            if (maxTokens != null && (maxTokens < 2 || maxTokens > modelMax)) {
                throw ConfigurationUtils.newConfigurationException(
                        TYPE,
                        tag,
                        "max_tokens",
                        "must be between 2 and the model's limit [" + modelMax + "], got [" + maxTokens + "]");
            }
            return new SemanticEmbeddingProcessor(
                    tag, description, fields, separator, targetField, model, ignoreMissing, effectiveMax, encoder);
        }
    }
}

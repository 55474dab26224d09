package org.semanticranking.mapping;

import org.elasticsearch.ElasticsearchException;
import org.elasticsearch.cluster.metadata.MappingMetadata;
import org.elasticsearch.common.cache.Cache;
import org.elasticsearch.common.cache.CacheBuilder;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Reads one field's mapping from index metadata on the node that holds the cluster state, without a request: what
 * the plugin's checks need to answer a 400 naming the field (a query's vector field, the fields of the interactions
 * index) instead of empty results or shard failures.
 */
public final class FieldMappings {

    private FieldMappings() {}

    /**
     * What the checks read of a field: its type, its dims ({@code null} when unset) and the types of its sub-fields
     * ({@code "fields"} of a multi-field, by name); {@link #UNMAPPED} when the mapping has no such field.
     */
    public record Field(String type, Integer dims, Map<String, String> subFieldTypes) {
        public boolean isMapped() {
            return this != UNMAPPED;
        }
    }

    public static final Field UNMAPPED = new Field(null, null, Map.of());

    private record Key(String mappingSha256, String field) {}

    /**
     * Fields by (mapping content, field). {@link MappingMetadata#sourceAsMap()} inflates and parses the whole mapping
     * on every call, and the vector field check runs on every query: with a catalogue's mapping of a thousand fields
     * that is most of a millisecond per search (MappingLookupBenchmark). Keyed by the content's hash, so a changed
     * mapping is a new entry; bounded, so old ones age out.
     */
    private static final Cache<Key, Field> PARSED =
            CacheBuilder.<Key, Field>builder().setMaximumWeight(10_000).build();

    /** The field at a dotted {@code path} of the mapping (an object's properties or a dotted name), or {@link #UNMAPPED}. */
    public static Field field(MappingMetadata metadata, String path) {
        try {
            return PARSED.computeIfAbsent(new Key(metadata.getSha256(), path), key -> {
                Map<String, Object> found = parse(metadata, path);
                if (found == null) {
                    return UNMAPPED;
                }
                Map<String, String> subFields = new LinkedHashMap<>();
                if (found.get("fields") instanceof Map<?, ?> fields) {
                    fields.forEach((name, sub) -> {
                        if (sub instanceof Map<?, ?> m) {
                            subFields.put(name.toString(), String.valueOf(m.get("type")));
                        }
                    });
                }
                return new Field(
                        String.valueOf(found.getOrDefault("type", "object")),
                        found.get("dims") instanceof Number n ? n.intValue() : null,
                        Map.copyOf(subFields));
            });
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new ElasticsearchException(e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(MappingMetadata metadata, String field) {
        Map<String, Object> root = metadata.sourceAsMap();
        if (root.size() == 1 && root.get("_doc") instanceof Map<?, ?> doc) {
            root = (Map<String, Object>) doc;
        }
        Object properties = root.get("properties");
        String[] path = field.split("\\.");
        for (int i = 0; i < path.length; i++) {
            if (properties instanceof Map<?, ?> props) {
                // a mapping may also hold the dotted name as one key
                Object whole = props.get(String.join(".", Arrays.copyOfRange(path, i, path.length)));
                if (whole instanceof Map<?, ?> found) {
                    return (Map<String, Object>) found;
                }
                Object next = props.get(path[i]);
                if (next instanceof Map<?, ?> child) {
                    if (i == path.length - 1) {
                        return (Map<String, Object>) child;
                    }
                    properties = child.get("properties");
                    continue;
                }
            }
            return null;
        }
        return null;
    }
}

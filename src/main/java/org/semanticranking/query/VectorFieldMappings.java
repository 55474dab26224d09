package org.semanticranking.query;

import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.ElasticsearchException;
import org.elasticsearch.cluster.metadata.MappingMetadata;
import org.elasticsearch.common.cache.Cache;
import org.elasticsearch.common.cache.CacheBuilder;
import org.elasticsearch.index.Index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/**
 * Checks, on the coordinating node and from index metadata alone, that a query's field is a
 * {@code dense_vector} in the indices searched, so that mistakes come back as a 400 naming the field
 * and the index, instead of as empty results (Elasticsearch's answer for unmapped fields) or shard
 * failures.
 */
public final class VectorFieldMappings {

    private VectorFieldMappings() {}

    /**
     * @return the field's dims per index that maps it (indices that do not map it are skipped, as for
     *         any query, unless none maps it)
     * @throws IllegalArgumentException when no index maps the field, or one maps it as another type
     */
    public static Map<String, Integer> dimsByIndex(String queryName, String field, Map<Index, IndexMetadata> indices) {
        Map<String, Integer> dims = new TreeMap<>();
        List<String> unmapped = new ArrayList<>();
        for (Map.Entry<Index, IndexMetadata> e : indices.entrySet()) {
            String index = e.getKey().getName();
            if (e.getValue().mapping() == null) {
                continue; // no mapping metadata to judge by: leave it to the shards
            }
            FieldMapping mapping = fieldMapping(e.getValue().mapping(), field);
            if (mapping == UNMAPPED) {
                unmapped.add(index);
                continue;
            }
            if ("dense_vector".equals(mapping.type()) == false) {
                throw new IllegalArgumentException(
                    "[" + queryName + "] field [" + field + "] in index [" + index + "] is of type [" + mapping.type() + "]; it must be a [dense_vector]"
                );
            }
            if (mapping.dims() != null) {
                dims.put(index, mapping.dims());
            }
        }
        if (dims.isEmpty() && unmapped.isEmpty() == false) {
            throw new IllegalArgumentException(
                "[" + queryName + "] field [" + field + "] does not exist in the mapping of " + (unmapped.size() == 1 ? "index " : "indices ") + unmapped
            );
        }
        return dims;
    }

    /** What this check reads of a field's mapping: its type and dims ({@code null} when unset); {@link #UNMAPPED} when absent. */
    private record FieldMapping(String type, Integer dims) {}

    private static final FieldMapping UNMAPPED = new FieldMapping(null, null);

    private record Key(String mappingSha256, String field) {}

    /**
     * Field mappings by (mapping content, field). {@link MappingMetadata#sourceAsMap()} inflates and parses the whole
     * mapping on every call, and this check runs on every query: with a catalogue's mapping of a thousand fields that
     * is most of a millisecond per search (MappingLookupBenchmark). Keyed by the content's hash, so a changed mapping
     * is a new entry; bounded, so old ones age out.
     */
    private static final Cache<Key, FieldMapping> PARSED = CacheBuilder.<Key, FieldMapping>builder().setMaximumWeight(10_000).build();

    private static FieldMapping fieldMapping(MappingMetadata metadata, String field) {
        try {
            return PARSED.computeIfAbsent(new Key(metadata.getSha256(), field), key -> {
                Map<String, Object> found = parseFieldMapping(metadata, field);
                if (found == null) {
                    return UNMAPPED;
                }
                return new FieldMapping(String.valueOf(found.getOrDefault("type", "object")), found.get("dims") instanceof Number n ? n.intValue() : null);
            });
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new ElasticsearchException(e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseFieldMapping(MappingMetadata metadata, String field) {
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

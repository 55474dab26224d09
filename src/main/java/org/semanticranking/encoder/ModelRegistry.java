package org.semanticranking.encoder;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.rest.RestStatus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The models of this node: loaded once at node start, one instance per name, shared by all callers.
 * A model that fails to load does not stop the node: it is kept with its reason, for the models API
 * and for the errors of pipelines and queries that name it.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger logger = LogManager.getLogger(ModelRegistry.class);

    /** Where users put their own models, relative to the node's config directory. */
    public static final String CONFIG_MODELS_DIR = "semantic-ranking/models";

    public static final String DEFAULT_ALIAS = "default";

    private final Map<String, OnnxTextEncoder> loaded;
    private final Map<String, String> failed;
    private final String defaultModel;

    ModelRegistry(Map<String, OnnxTextEncoder> loaded, Map<String, String> failed, String defaultModel) {
        this.loaded = Collections.unmodifiableMap(new TreeMap<>(loaded));
        this.failed = Collections.unmodifiableMap(new TreeMap<>(failed));
        this.defaultModel = defaultModel;
    }

    /** Loads the bundled models, then those under {@code <config>/semantic-ranking/models/<name>/}. */
    public static ModelRegistry load(Path configDir, String defaultModel, EncoderDevice device, int intraOpThreads) {
        Map<String, ModelSource> sources = new TreeMap<>();
        Map<String, String> failed = new TreeMap<>();
        for (String name : bundledModelNames()) {
            sources.put(name, new ModelSource.Bundled(name));
        }
        Path userDir = configDir == null ? null : configDir.resolve(CONFIG_MODELS_DIR);
        if (userDir != null && Files.isDirectory(userDir)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(userDir, Files::isDirectory)) {
                for (Path dir : dirs) {
                    String name = dir.getFileName().toString();
                    if (sources.containsKey(name)) {
                        // the bundled model keeps the name; the user's copy is ignored, loudly
                        logger.error(
                                "ignoring model directory [{}]: a bundled model already has the name [{}]", dir, name);
                    } else {
                        sources.put(name, new ModelSource.Directory(dir));
                    }
                }
            } catch (IOException e) {
                logger.error("cannot list models in [" + userDir + "]", e);
            }
        }
        Map<String, OnnxTextEncoder> loaded = new TreeMap<>();
        for (Map.Entry<String, ModelSource> e : sources.entrySet()) {
            String name = e.getKey();
            try {
                ModelManifest manifest;
                try (InputStream in = e.getValue().open(ModelSource.MANIFEST)) {
                    manifest = ModelManifest.parse(name, in);
                }
                long start = System.nanoTime();
                OnnxTextEncoder encoder = OnnxTextEncoder.load(manifest, e.getValue(), device, intraOpThreads);
                loaded.put(name, encoder);
                logger.info(
                        "loaded model [{}] from [{}] on [{}]: {} dims, {} pooling, in {} ms",
                        name,
                        encoder.source(),
                        encoder.device(),
                        manifest.dims(),
                        manifest.pooling(),
                        (System.nanoTime() - start) / 1_000_000);
            } catch (Exception ex) {
                String reason = ex.getClass().getSimpleName() + ": " + ex.getMessage();
                logger.error(
                        "failed to load model [" + name + "] from ["
                                + e.getValue().describe() + "]",
                        ex);
                failed.put(name, reason);
            }
        }
        return new ModelRegistry(loaded, failed, defaultModel);
    }

    static List<String> bundledModelNames() {
        InputStream in = ModelRegistry.class.getResourceAsStream("/semantic-ranking/models/bundled.txt");
        if (in == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() == false) {
                    names.add(line.trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the list of bundled models", e);
        }
        return names;
    }

    /** {@code null} and {@code "default"} mean the node's default model. */
    public String resolveName(String name) {
        return name == null || name.equals(DEFAULT_ALIAS) ? defaultModel : name;
    }

    /**
     * The model to encode with. Unknown names are bad input (400); a model that failed to load is
     * the node's problem (503), with the reason it failed.
     */
    public OnnxTextEncoder get(String name) {
        String resolved = resolveName(name);
        OnnxTextEncoder encoder = loaded.get(resolved);
        if (encoder != null) {
            return encoder;
        }
        String reason = failed.get(resolved);
        if (reason != null) {
            throw new ElasticsearchStatusException(
                    "model [{}] failed to load on this node: {}", RestStatus.SERVICE_UNAVAILABLE, resolved, reason);
        }
        // in a cluster a model may be on some nodes only: the coordinating node encodes the query
        throw new IllegalArgumentException("unknown model [" + resolved + "]; models on this node: " + loaded.keySet()
                + " (GET _semantic_ranking/models lists every node's)");
    }

    /** True when {@link #get} would find the name (loaded or failed), so pipelines naming a failed model can still be created. */
    public boolean exists(String name) {
        String resolved = resolveName(name);
        return loaded.containsKey(resolved) || failed.containsKey(resolved);
    }

    public Map<String, OnnxTextEncoder> loaded() {
        return loaded;
    }

    public Map<String, String> failed() {
        return failed;
    }

    public String defaultModel() {
        return defaultModel;
    }

    @Override
    public void close() {
        loaded.values().forEach(OnnxTextEncoder::close);
    }
}

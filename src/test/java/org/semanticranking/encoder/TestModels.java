package org.semanticranking.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Loads the models the tests use: the bundled default, and the Chinese one from its Maven jar. */
public final class TestModels {

    private static OnnxTextEncoder defaultModel;
    private static OnnxTextEncoder chineseModel;

    private TestModels() {}

    public static synchronized OnnxTextEncoder defaultModel() throws Exception {
        if (defaultModel == null) {
            ModelSource source = new ModelSource.Bundled("all-minilm-l6-v2-q");
            ModelManifest manifest;
            try (InputStream in = source.open(ModelSource.MANIFEST)) {
                manifest = ModelManifest.parse("all-minilm-l6-v2-q", in);
            }
            defaultModel = OnnxTextEncoder.load(manifest, source, EncoderDevice.CPU, 1);
        }
        return defaultModel;
    }

    /**
     * bge-small-zh-v1.5 (int8) is a test dependency: its files are copied, with the manifest shipped in
     * {@code models/}, into a directory laid out as a user would under config/semantic-ranking/models.
     */
    public static synchronized OnnxTextEncoder chineseModel() throws Exception {
        if (chineseModel == null) {
            String name = "bge-small-zh-v1.5-q";
            Path dir = Files.createTempDirectory("semantic-ranking-models").resolve(name);
            Files.createDirectories(dir);
            copyResource("/bge-small-zh-v1.5-q.onnx", dir.resolve(ModelSource.MODEL));
            copyResource("/bge-small-zh-v1.5-q-tokenizer.json", dir.resolve(ModelSource.TOKENIZER));
            Files.copy(repoPath("models/" + name + "/manifest.properties"), dir.resolve(ModelSource.MANIFEST));
            ModelSource source = new ModelSource.Directory(dir);
            ModelManifest manifest;
            try (InputStream in = source.open(ModelSource.MANIFEST)) {
                manifest = ModelManifest.parse(name, in);
            }
            chineseModel = OnnxTextEncoder.load(manifest, source, EncoderDevice.AUTO, 1);
        }
        return chineseModel;
    }

    static Path repoPath(String relative) {
        return Path.of(System.getProperty("user.dir")).resolve(relative);
    }

    static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = TestModels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    public static double norm(float[] a) {
        double s = 0;
        for (float x : a) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}

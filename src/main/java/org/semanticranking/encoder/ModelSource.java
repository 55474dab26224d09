package org.semanticranking.encoder;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a model's three files come from. Only two places exist, by design: the plugin's own jar
 * (the bundled default model) and the node's {@code config/semantic-ranking/models/<name>/}.
 */
public sealed interface ModelSource {

    String MANIFEST = "manifest.properties";
    String MODEL = "model.onnx";
    String TOKENIZER = "tokenizer.json";

    InputStream open(String file) throws IOException;

    OrtSession createSession(OrtEnvironment env, OrtSession.SessionOptions options) throws IOException, OrtException;

    /** For the models API: {@code bundled} or the directory it was read from. */
    String describe();

    /** A model packed into the plugin jar by the build, under {@code semantic-ranking/models/<name>/}. */
    record Bundled(String name) implements ModelSource {
        @Override
        public InputStream open(String file) throws IOException {
            String resource = "/semantic-ranking/models/" + name + "/" + file;
            InputStream in = ModelSource.class.getResourceAsStream(resource);
            if (in == null) {
                throw new NoSuchFileException("bundled model resource " + resource);
            }
            return in;
        }

        @Override
        public OrtSession createSession(OrtEnvironment env, OrtSession.SessionOptions options)
                throws IOException, OrtException {
            try (InputStream in = open(MODEL)) {
                return env.createSession(in.readAllBytes(), options);
            }
        }

        @Override
        public String describe() {
            return "bundled";
        }
    }

    /** A model a user placed in the node's config directory. */
    record Directory(Path dir) implements ModelSource {
        @Override
        public InputStream open(String file) throws IOException {
            return Files.newInputStream(dir.resolve(file));
        }

        @Override
        public OrtSession createSession(OrtEnvironment env, OrtSession.SessionOptions options)
                throws IOException, OrtException {
            Path model = dir.resolve(MODEL);
            if (Files.isRegularFile(model) == false) {
                throw new NoSuchFileException(model.toString());
            }
            return env.createSession(model.toString(), options);
        }

        @Override
        public String describe() {
            return dir.toString();
        }
    }
}

package org.semanticranking.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What a model is and how to use it: read from the {@code manifest.properties} beside its
 * {@code model.onnx} and {@code tokenizer.json}. The same file tells the build where to fetch the
 * model and which sha256 to expect (see {@code models/} in the repository).
 *
 * @param queryPrefix    text put before a query (never a document), e.g. bge's retrieval instruction
 * @param documentPrefix text put before a document (never a query), e.g. e5's {@code "passage: "}
 * @param lowercase   lowercase text before tokenizing, for tokenizers that do not (bge-small-zh)
 */
public record ModelManifest(
        String name,
        String description,
        String licence,
        String sourceMaven,
        String modelSha256,
        String tokenizerSha256,
        int dims,
        Pooling pooling,
        boolean normalize,
        int maxTokens,
        String queryPrefix,
        String documentPrefix,
        boolean lowercase) {
    /** Model names are directory names and appear in URLs: no separators, no dots at the start. */
    public static final Pattern VALID_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    public ModelManifest {
        if (name == null || VALID_NAME.matcher(name).matches() == false) {
            throw new IllegalArgumentException(
                    "invalid model name [" + name + "]: lowercase letters, digits, '.', '_' and '-' only");
        }
        if (dims <= 0 || dims > 4096) {
            throw new IllegalArgumentException("model [" + name + "]: [dims] must be in [1, 4096], got [" + dims + "]");
        }
        if (maxTokens < 2) {
            throw new IllegalArgumentException(
                    "model [" + name + "]: [max_tokens] must be at least 2, got [" + maxTokens + "]");
        }
    }

    public static ModelManifest parse(String expectedName, InputStream in) throws IOException {
        Properties p = new Properties();
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        String name = p.getProperty("name", expectedName).trim();
        if (name.equals(expectedName) == false) {
            throw new IllegalArgumentException(
                    "manifest names model [" + name + "] but lives in directory [" + expectedName + "]");
        }
        return new ModelManifest(
                name,
                p.getProperty("description", "").trim(),
                p.getProperty("licence", "unknown").trim(),
                p.getProperty("source.maven", "").trim(),
                p.getProperty("model.sha256", "").trim(),
                p.getProperty("tokenizer.sha256", "").trim(),
                intProperty(p, name, "dims", null),
                Pooling.parse(required(p, name, "pooling")),
                Boolean.parseBoolean(p.getProperty("normalize", "true").trim()),
                intProperty(p, name, "max_tokens", "512"),
                // a prefix usually ends with a space that matters, so it is not trimmed
                p.getProperty("query_prefix", ""),
                p.getProperty("document_prefix", ""),
                Boolean.parseBoolean(p.getProperty("lowercase", "false").trim()));
    }

    private static String required(Properties p, String name, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("model [" + name + "]: manifest is missing [" + key + "]");
        }
        return v.trim();
    }

    private static int intProperty(Properties p, String name, String key, String defaultValue) {
        String v = defaultValue == null
                ? required(p, name, key)
                : p.getProperty(key, defaultValue).trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "model [" + name + "]: [" + key + "] must be an integer, got [" + v + "]");
        }
    }
}

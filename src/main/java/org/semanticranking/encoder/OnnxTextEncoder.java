package org.semanticranking.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One model loaded on this node: its Hugging Face tokenizer (DJL) and its ONNX Runtime session.
 * Both are thread-safe, so one instance serves every caller; {@link MicroBatcher} decides what runs
 * together. Encoding is CPU-heavy: call {@link #embed} only from the encoder thread pool.
 */
public final class OnnxTextEncoder implements AutoCloseable {

    private static final Logger logger = LogManager.getLogger(OnnxTextEncoder.class);

    /**
     * Characters kept per allowed token before tokenizing. Tokenizers only truncate after tokenizing
     * the whole text, so a 100 KB description would be tokenized in full; a word piece rarely spans
     * more than a few characters, so text past this bound cannot reach the model anyway.
     */
    static final int MAX_CHARS_PER_TOKEN = 32;

    private final ModelManifest manifest;
    private final String source;
    private final EncoderDevice device;
    private final HuggingFaceTokenizer tokenizer;
    private final OrtSession session;
    private final boolean needsTypeIds;
    private final String outputName;

    private OnnxTextEncoder(
            ModelManifest manifest,
            String source,
            EncoderDevice device,
            HuggingFaceTokenizer tokenizer,
            OrtSession session) {
        this.manifest = manifest;
        this.source = source;
        this.device = device;
        this.tokenizer = tokenizer;
        this.session = session;
        Set<String> inputs = session.getInputNames();
        if (inputs.contains("input_ids") == false || inputs.contains("attention_mask") == false) {
            throw new IllegalArgumentException("model [" + manifest.name()
                    + "] must take [input_ids] and [attention_mask] as inputs, it takes " + inputs);
        }
        this.needsTypeIds = inputs.contains("token_type_ids");
        this.outputName = session.getOutputNames().iterator().next();
    }

    /**
     * Loads a model. DJL resolves its native library through the thread context class loader, so the
     * plugin's own loader is set while the tokenizer loads (inside Elasticsearch it is otherwise the
     * server's, which cannot see the plugin's jars).
     */
    public static OnnxTextEncoder load(
            ModelManifest manifest, ModelSource source, EncoderDevice requested, int intraOpThreads)
            throws IOException, OrtException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(OnnxTextEncoder.class.getClassLoader());
        HuggingFaceTokenizer tokenizer = null;
        try (InputStream in = source.open(ModelSource.TOKENIZER)) {
            tokenizer = HuggingFaceTokenizer.newInstance(
                    in,
                    Map.of(
                            "addSpecialTokens", "true",
                            "truncation", "true",
                            "padding", "false",
                            "maxLength", Integer.toString(manifest.maxTokens()),
                            "modelMaxLength", Integer.toString(manifest.maxTokens())));
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            EncoderDevice device = resolveDevice(requested, manifest.name());
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(intraOpThreads);
                options.setInterOpNumThreads(1);
                // ONNX Runtime's spinning workers halve throughput when the node has other work to do
                // (measured on this hardware, see ENCODER-FACTS): threads sleep instead of spinning.
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                options.addConfigEntry("session.inter_op.allow_spinning", "0");
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                if (device == EncoderDevice.CUDA) {
                    options.addCUDA(0);
                }
                OrtSession session = source.createSession(env, options);
                OnnxTextEncoder encoder = new OnnxTextEncoder(manifest, source.describe(), device, tokenizer, session);
                encoder.checkDims();
                return encoder;
            }
        } catch (IOException | OrtException | RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    static EncoderDevice resolveDevice(EncoderDevice requested, String model) {
        boolean cudaAvailable = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        return switch (requested) {
            case CPU -> EncoderDevice.CPU;
            case CUDA -> {
                if (cudaAvailable == false) {
                    throw new IllegalStateException(
                            "[semantic_ranking.encoder.device] is [cuda] but the CUDA execution provider is not available: this build of "
                                    + "ONNX Runtime offers "
                                    + OrtEnvironment.getAvailableProviders()
                                    + " (install the plugin built with -Pgpu on a node with CUDA 12 and cuDNN 9, or use [auto] or [cpu])");
                }
                yield EncoderDevice.CUDA;
            }
            case AUTO -> {
                if (cudaAvailable) {
                    yield EncoderDevice.CUDA;
                }
                logger.info("model [{}]: CUDA execution provider not available, encoding on the CPU", model);
                yield EncoderDevice.CPU;
            }
        };
    }

    /** A model whose output disagrees with its manifest must not load: its vectors would not fit the mapping. */
    private void checkDims() throws OrtException {
        float[][] probe = embed(List.of(tokenize("dimension check", false, manifest.maxTokens())));
        if (probe[0].length != manifest.dims()) {
            throw new IllegalArgumentException("model [" + manifest.name() + "] outputs vectors of [" + probe[0].length
                    + "] dims but its manifest says [" + manifest.dims() + "]");
        }
    }

    /**
     * Tokenizes one text, adding the query prefix for queries and cutting to {@code maxTokens}
     * (the last position keeps the closing special token, as the tokenizer's own truncation does).
     */
    public Tokenized tokenize(String text, boolean query, int maxTokens) {
        int limit = Math.min(maxTokens, manifest.maxTokens());
        int maxChars = limit * MAX_CHARS_PER_TOKEN;
        if (text.length() > maxChars) {
            int cut = maxChars;
            if (Character.isHighSurrogate(text.charAt(cut - 1))) {
                cut--; // never split a surrogate pair (emoji)
            }
            text = text.substring(0, cut);
        }
        // models trained with instructions (bge, e5) expect them; the prefix is not counted in maxChars
        text = (query ? manifest.queryPrefix() : manifest.documentPrefix()) + text;
        if (manifest.lowercase()) {
            text = text.toLowerCase(Locale.ROOT);
        }
        Encoding encoding = tokenizer.encode(text);
        long[] ids = encoding.getIds();
        long[] types = encoding.getTypeIds();
        if (ids.length > limit) {
            long last = ids[ids.length - 1];
            ids = Arrays.copyOf(ids, limit);
            ids[limit - 1] = last;
            types = Arrays.copyOf(types, limit);
        }
        return new Tokenized(ids, types);
    }

    /**
     * Runs one batch, padded to its longest text, and returns one pooled (and, as the manifest says,
     * normalised) vector per text, in order.
     */
    public float[][] embed(List<Tokenized> batch) throws OrtException {
        int rows = batch.size();
        int seq = 1;
        for (Tokenized t : batch) {
            seq = Math.max(seq, t.length());
        }
        long[] ids = new long[rows * seq];
        long[] mask = new long[rows * seq];
        long[] types = new long[rows * seq];
        for (int r = 0; r < rows; r++) {
            Tokenized t = batch.get(r);
            System.arraycopy(t.ids(), 0, ids, r * seq, t.length());
            System.arraycopy(t.typeIds(), 0, types, r * seq, t.length());
            Arrays.fill(mask, r * seq, r * seq + t.length(), 1L);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {rows, seq};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (needsTypeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(outputName))) {
                OnnxTensor output = (OnnxTensor) result.get(0);
                long[] outShape = ((TensorInfo) output.getInfo()).getShape();
                FloatBuffer buffer = output.getFloatBuffer();
                float[] hidden = new float[buffer.remaining()];
                buffer.get(hidden);
                float[][] vectors = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    float[] v;
                    if (outShape.length == 3) {
                        v = manifest.pooling()
                                .pool(
                                        hidden,
                                        r,
                                        (int) outShape[1],
                                        (int) outShape[2],
                                        batch.get(r).length());
                    } else if (outShape.length == 2) {
                        // a graph that pools itself: [batch, dims]
                        int dims = (int) outShape[1];
                        v = Arrays.copyOfRange(hidden, r * dims, (r + 1) * dims);
                    } else {
                        throw new IllegalStateException("model [" + manifest.name() + "] output has unexpected shape "
                                + Arrays.toString(outShape));
                    }
                    vectors[r] = manifest.normalize() ? Pooling.l2Normalize(v) : v;
                }
                return vectors;
            }
        } finally {
            for (OnnxTensor tensor : inputs.values()) {
                tensor.close();
            }
        }
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public String source() {
        return source;
    }

    public EncoderDevice device() {
        return device;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            logger.warn("failed to close the ONNX session of model [" + manifest.name() + "]", e);
        }
        tokenizer.close();
    }
}

package org.semanticranking.encoder;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.core.TimeValue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BiConsumer;

/**
 * The one entry point to encoding on a node: name a model, pass text and a listener. Each model has
 * its own {@link MicroBatcher}; all of them share the plugin's encoder thread pool.
 */
public final class EncoderService implements AutoCloseable {

    private final ModelRegistry registry;
    private final Map<String, MicroBatcher> batchers = new TreeMap<>();
    private final Map<String, EncoderStats> stats = new TreeMap<>();

    public EncoderService(
        ModelRegistry registry,
        Executor executor,
        BiConsumer<Runnable, TimeValue> scheduler,
        int batchSize,
        int sortWindow,
        TimeValue maxWait
    ) {
        this.registry = registry;
        for (Map.Entry<String, OnnxTextEncoder> e : registry.loaded().entrySet()) {
            MicroBatcher[] self = new MicroBatcher[1];
            EncoderStats modelStats = new EncoderStats(e.getKey(), () -> self[0].pendingCount() + executorQueue(executor));
            self[0] = new MicroBatcher(e.getValue(), executor, scheduler, batchSize, sortWindow, maxWait, modelStats);
            batchers.put(e.getKey(), self[0]);
            stats.put(e.getKey(), modelStats);
        }
    }

    private static int executorQueue(Executor executor) {
        return executor instanceof ThreadPoolExecutor tpe ? tpe.getQueue().size() : 0;
    }

    /**
     * Encodes one text with the named model ({@code null} for the default).
     *
     * @param query     queries get the model's query prefix; documents do not
     * @param maxTokens tokens kept (the model's own limit caps it)
     * @throws IllegalArgumentException for an unknown model (before anything is queued)
     */
    public void encode(String model, String text, boolean query, int maxTokens, ActionListener<float[]> listener) {
        OnnxTextEncoder encoder = registry.get(model);
        batchers.get(encoder.manifest().name()).submit(text, query, maxTokens, listener);
    }

    public ModelRegistry registry() {
        return registry;
    }

    public List<ModelStats> stats() {
        return stats.values().stream().map(EncoderStats::snapshot).toList();
    }

    @Override
    public void close() {
        registry.close();
    }
}

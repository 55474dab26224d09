package org.semanticranking.encoder;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.common.util.concurrent.AbstractRunnable;
import org.elasticsearch.common.util.concurrent.EsRejectedExecutionException;
import org.elasticsearch.core.TimeValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * Gathers texts from concurrent callers (the documents of a bulk, concurrent queries) and encodes
 * them in batches on the encoder pool.
 *
 * <p>A gathered window is dispatched when it holds {@code sortWindow} texts or when its first text
 * has waited {@code maxWait}. On the pool the window is tokenized, sorted by token length and cut
 * into batches of {@code batchSize}, each padded only to its own longest text; the batches are
 * spread over the pool's threads. Sorting matters: batches in arrival order pad product titles from
 * ~21 to ~36 tokens and run slower than one text at a time.
 *
 * <p>Callers never block: they pass a listener, completed on an encoder thread. When the pool's
 * bounded queue is full, the listeners fail with {@link EsRejectedExecutionException} (HTTP 429).
 */
public final class MicroBatcher {

    private record Request(
            String text, boolean query, int maxTokens, long startNanos, ActionListener<float[]> listener) {}

    private record Prepared(Request request, Tokenized tokens) {}

    private final OnnxTextEncoder encoder;
    private final Executor executor;
    private final BiConsumer<Runnable, TimeValue> scheduler;
    private final int batchSize;
    private final int sortWindow;
    private final TimeValue maxWait;
    private final EncoderStats stats;

    private final Object lock = new Object();
    private List<Request> pending = new ArrayList<>();
    private boolean timerArmed;

    /**
     * @param executor  the encoder pool (bounded queue)
     * @param scheduler runs a task after a delay; the task only hands work to {@code executor}
     */
    public MicroBatcher(
            OnnxTextEncoder encoder,
            Executor executor,
            BiConsumer<Runnable, TimeValue> scheduler,
            int batchSize,
            int sortWindow,
            TimeValue maxWait,
            EncoderStats stats) {
        this.encoder = encoder;
        this.executor = executor;
        this.scheduler = scheduler;
        this.batchSize = batchSize;
        this.sortWindow = Math.max(batchSize, sortWindow);
        this.maxWait = maxWait;
        this.stats = stats;
    }

    /** Encodes {@code text}; the listener gets its vector (or the failure) on an encoder thread. */
    public void submit(String text, boolean query, int maxTokens, ActionListener<float[]> listener) {
        Request request = new Request(text, query, maxTokens, System.nanoTime(), listener);
        List<Request> ready = null;
        boolean armTimer = false;
        synchronized (lock) {
            pending.add(request);
            if (pending.size() >= sortWindow || maxWait.nanos() == 0) {
                ready = takePending();
            } else if (timerArmed == false) {
                timerArmed = true;
                armTimer = true;
            }
        }
        if (armTimer) {
            scheduler.accept(this::flushOnTimer, maxWait);
        }
        if (ready != null) {
            dispatch(ready);
        }
    }

    /** Texts waiting to be gathered into a window (not yet handed to the pool). */
    public int pendingCount() {
        synchronized (lock) {
            return pending.size();
        }
    }

    private List<Request> takePending() {
        List<Request> taken = pending;
        pending = new ArrayList<>();
        return taken;
    }

    private void flushOnTimer() {
        List<Request> ready;
        synchronized (lock) {
            timerArmed = false;
            if (pending.isEmpty()) {
                return;
            }
            ready = takePending();
        }
        dispatch(ready);
    }

    private void dispatch(List<Request> window) {
        fork(() -> encodeWindow(window), window.stream().map(Request::listener).toList());
    }

    /** On an encoder thread: tokenize, sort by length, run the first batch here and fork the others. */
    private void encodeWindow(List<Request> window) {
        List<Prepared> prepared = new ArrayList<>(window.size());
        for (Request r : window) {
            try {
                prepared.add(new Prepared(r, encoder.tokenize(r.text(), r.query(), r.maxTokens())));
            } catch (Exception e) {
                stats.onFailed(1);
                r.listener().onFailure(e);
            }
        }
        prepared.sort(Comparator.comparingInt(p -> p.tokens().length()));
        List<List<Prepared>> batches = new ArrayList<>();
        for (int from = 0; from < prepared.size(); from += batchSize) {
            batches.add(prepared.subList(from, Math.min(prepared.size(), from + batchSize)));
        }
        for (int i = 1; i < batches.size(); i++) {
            List<Prepared> batch = batches.get(i);
            fork(
                    () -> runBatch(batch),
                    batch.stream().map(p -> p.request().listener()).toList());
        }
        if (batches.isEmpty() == false) {
            runBatch(batches.get(0));
        }
    }

    private void runBatch(List<Prepared> batch) {
        float[][] vectors;
        try {
            vectors = encoder.embed(batch.stream().map(Prepared::tokens).toList());
        } catch (Exception e) {
            stats.onFailed(batch.size());
            failAll(batch.stream().map(p -> p.request().listener()).toList(), e);
            return;
        }
        stats.onBatch(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Request r = batch.get(i).request();
            stats.onTextDone(r.startNanos(), r.query());
            r.listener().onResponse(vectors[i]);
        }
    }

    /**
     * Runs {@code work} on the encoder pool. Rejected (the queue is full) or failed, every text of it fails with the
     * reason, and the stats count them.
     */
    private void fork(Runnable work, List<ActionListener<float[]>> listeners) {
        AbstractRunnable task = new AbstractRunnable() {
            @Override
            protected void doRun() {
                work.run();
            }

            @Override
            public void onRejection(Exception e) {
                stats.onRejected(listeners.size());
                failAll(listeners, rejection(e));
            }

            @Override
            public void onFailure(Exception e) {
                stats.onFailed(listeners.size());
                failAll(listeners, e);
            }
        };
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // Elasticsearch's executors call onRejection themselves; plain JDK executors throw
            task.onRejection(e);
        }
    }

    private static Exception rejection(Exception e) {
        if (e instanceof EsRejectedExecutionException) {
            return e;
        }
        return new EsRejectedExecutionException("the encoder queue is full: " + e.getMessage(), false);
    }

    private static void failAll(List<ActionListener<float[]>> listeners, Exception e) {
        for (ActionListener<float[]> listener : listeners) {
            listener.onFailure(e);
        }
    }
}

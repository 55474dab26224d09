package org.semanticranking.common;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.tasks.CancellableTask;
import org.elasticsearch.tasks.TaskId;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A long job of the plugin as the task API shows it ({@code profiles/_build}, {@code _train}, {@code _tune}):
 * cancellable, its status the phase it is in and its counts so far ({@code users}, {@code events},
 * {@code evaluations}, ...), which {@code GET _tasks/<id>} shows.
 */
public final class JobTask extends CancellableTask {

    private volatile Progress progress = new Progress("starting", Map.of());

    public JobTask(
            long id, String type, String action, String description, TaskId parentTaskId, Map<String, String> headers) {
        super(id, type, action, description, parentTaskId, headers);
    }

    /** @param namesAndCounts pairs of a count's name and its value (a number), in the order the status shows them */
    public void progress(String phase, Object... namesAndCounts) {
        Map<String, Number> counts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndCounts.length; i += 2) {
            counts.put((String) namesAndCounts[i], (Number) namesAndCounts[i + 1]);
        }
        this.progress = new Progress(phase, counts);
    }

    @Override
    public Progress getStatus() {
        return progress;
    }

    /** How far a job is: its phase and its counts (a count that is not a finite number is left out of the status). */
    public record Progress(String phase, Map<String, Number> counts) implements Status {

        public static final String NAME = "semantic_ranking_job_progress";

        public Progress(StreamInput in) throws IOException {
            this(in.readString(), in.readOrderedMap(StreamInput::readString, i -> (Number) i.readGenericValue()));
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(phase);
            out.writeMap(counts, StreamOutput::writeString, StreamOutput::writeGenericValue);
        }

        @Override
        public String getWriteableName() {
            return NAME;
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject().field("phase", phase);
            for (Map.Entry<String, Number> count : counts.entrySet()) {
                if (count.getValue() instanceof Double d && Double.isFinite(d) == false) {
                    continue;
                }
                builder.field(count.getKey(), count.getValue());
            }
            return builder.endObject();
        }
    }
}

package org.semanticranking.evaluation;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.tasks.CancellableTask;
import org.elasticsearch.tasks.TaskId;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Map;

/** A {@code _tune} run in the task API: cancellable, its status the evaluations done out of the budget. */
public final class TuneTask extends CancellableTask {

    private volatile Progress progress = new Progress("starting", 0, 0, Double.NaN);

    public TuneTask(long id, String type, String action, String description, TaskId parentTaskId, Map<String, String> headers) {
        super(id, type, action, description, parentTaskId, headers);
    }

    void progress(String phase, int evaluations, int budget, double best) {
        progress = new Progress(phase, evaluations, budget, best);
    }

    @Override
    public Progress getStatus() {
        return progress;
    }

    public record Progress(String phase, int evaluations, int budget, double best) implements Status {
        public static final String NAME = "semantic_ranking_tune_progress";

        public Progress(StreamInput in) throws IOException {
            this(in.readString(), in.readVInt(), in.readVInt(), in.readDouble());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(phase);
            out.writeVInt(evaluations);
            out.writeVInt(budget);
            out.writeDouble(best);
        }

        @Override
        public String getWriteableName() {
            return NAME;
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject().field("phase", phase).field("evaluations", evaluations).field("budget", budget);
            if (Double.isFinite(best)) {
                builder.field("best", best);
            }
            return builder.endObject();
        }
    }
}

package org.semanticranking.personalization;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.tasks.CancellableTask;
import org.elasticsearch.tasks.TaskId;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Map;

/**
 * A profile build or a training run as the task API shows it: cancellable, with its progress (users and
 * events read so far) as its status.
 */
public final class LearningTask extends CancellableTask {

    private volatile Progress progress = new Progress("starting", 0, 0, 0);

    public LearningTask(long id, String type, String action, String description, TaskId parentTaskId, Map<String, String> headers) {
        super(id, type, action, description, parentTaskId, headers);
    }

    public void progress(String phase, long users, long events, long products) {
        this.progress = new Progress(phase, users, events, products);
    }

    @Override
    public Progress getStatus() {
        return progress;
    }

    /** How far a run is. */
    public record Progress(String phase, long users, long events, long products) implements Status {

        public static final String NAME = "semantic_ranking_learning_progress";

        public Progress(StreamInput in) throws IOException {
            this(in.readString(), in.readVLong(), in.readVLong(), in.readVLong());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(phase);
            out.writeVLong(users);
            out.writeVLong(events);
            out.writeVLong(products);
        }

        @Override
        public String getWriteableName() {
            return NAME;
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            return builder.startObject()
                .field("phase", phase)
                .field("users", users)
                .field("events", events)
                .field("products_fetched", products)
                .endObject();
        }
    }
}

package org.semanticranking.common;

import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;

/**
 * The answer of the plugin's local actions (build, train, evaluate, tune, judgment candidates): a result that
 * renders itself. Never sent over the wire; stored as XContent when a task keeps its result.
 */
public final class LocalResponse extends ActionResponse implements ToXContentObject {

    private final ToXContentObject result;

    public LocalResponse(ToXContentObject result) {
        this.result = result;
    }

    public ToXContentObject result() {
        return result;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return result.toXContent(builder, params);
    }

    @Override
    public void writeTo(StreamOutput out) {
        TransportAction.localOnly();
    }
}

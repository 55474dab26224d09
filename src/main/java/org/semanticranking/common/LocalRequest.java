package org.semanticranking.common;

import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.common.io.stream.StreamOutput;

/** A request of an action that runs on the node that receives it: it never travels, so it is never written. */
public abstract class LocalRequest extends ActionRequest {

    @Override
    public ActionRequestValidationException validate() {
        return null;
    }

    @Override
    public final void writeTo(StreamOutput out) {
        TransportAction.localOnly();
    }
}

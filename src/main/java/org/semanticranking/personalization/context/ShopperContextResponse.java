package org.semanticranking.personalization.context;

import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.common.io.stream.StreamOutput;

/** The loaded shopper. */
public final class ShopperContextResponse extends ActionResponse {

    private final ShopperContext context;

    public ShopperContextResponse(ShopperContext context) {
        this.context = context;
    }

    public ShopperContext context() {
        return context;
    }

    @Override
    public void writeTo(StreamOutput out) {
        TransportAction.localOnly();
    }
}

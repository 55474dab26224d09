package org.semanticranking.personalization.context;

import org.semanticranking.common.LocalIndicesRequest;

/** What to load for a rescorer; index names may be {@code null}: the node's settings give them. */
public final class ShopperContextRequest extends LocalIndicesRequest {

    private final ShopperContextLoader.Request request;

    public ShopperContextRequest(ShopperContextLoader.Request request) {
        super(request.productIndices());
        this.request = request;
    }

    public ShopperContextLoader.Request request() {
        return request;
    }
}

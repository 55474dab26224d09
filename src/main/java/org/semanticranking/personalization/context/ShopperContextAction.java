package org.semanticranking.personalization.context;

import org.elasticsearch.action.ActionType;

/**
 * Loads a {@link ShopperContext} on the coordinating node for a rescorer's rewrite ({@link TransportShopperContextAction}).
 * An index action over the searched indices: whoever may search them may load a shopper; the profile and event fetches
 * inside run with the caller's own privileges (no read on the profiles index: no personalization).
 */
public final class ShopperContextAction {

    public static final String NAME = "indices:data/read/semantic_ranking/load_shopper";
    public static final ActionType<ShopperContextResponse> INSTANCE = new ActionType<>(NAME);

    private ShopperContextAction() {}
}

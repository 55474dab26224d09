package org.semanticranking.rescore;

import org.semanticranking.scoring.Normalization;
import org.semanticranking.personalization.context.ShopperContext;

/**
 * What a shard needs to blend: the weights and normalisation, the query vector (or {@code null}), the
 * shopper fetched on the coordinating node, the product vector field, and whether hits report their parts.
 */
record BlendSpec(
    BlendWeights weights,
    Normalization normalization,
    float[] queryVector,
    ShopperContext shopper,
    String vectorField,
    boolean scoreBreakdown
) {}

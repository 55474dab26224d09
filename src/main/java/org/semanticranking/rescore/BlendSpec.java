package org.semanticranking.rescore;

import org.semanticranking.personalization.context.ShopperContext;
import org.semanticranking.scoring.Normalization;

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
        boolean scoreBreakdown) {}

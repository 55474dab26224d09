package org.semanticranking.rescore;

import org.elasticsearch.search.rescore.RescorerBuilder;

/**
 * A rescorer that can leave the request's text out when the search has it in a {@code semantic_intent}: {@link
 * QueryTextFromFirstPass} copies the text in before the search starts, so both ask the encoder for the same text.
 */
public interface QueryTextConsumer {

    /** Whether it was given no text of its own. */
    boolean needsQueryText();

    /** This with the text (and model) of the search's {@code semantic_intent}. */
    RescorerBuilder<?> withQueryText(String text, String encoderModel);
}

package org.semanticranking.encoder;

/** One text after tokenization: ids with the model's special tokens, ready to be padded into a batch. */
public record Tokenized(long[] ids, long[] typeIds) {
    public int length() {
        return ids.length;
    }
}

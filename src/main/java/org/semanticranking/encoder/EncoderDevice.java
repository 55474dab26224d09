package org.semanticranking.encoder;

import java.util.Locale;

/** Where ONNX Runtime runs a model: {@code auto} takes CUDA when this build and machine have it. */
public enum EncoderDevice {
    AUTO,
    CPU,
    CUDA;

    public static EncoderDevice parse(String value) {
        try {
            return EncoderDevice.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown encoder device [" + value + "], expected one of [auto, cpu, cuda]");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

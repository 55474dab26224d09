package org.semanticranking.encoder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CPU build of ONNX Runtime (the default zip, and CI) has no CUDA provider. */
class EncoderDeviceTests {

    @Test
    void autoFallsBackToTheCpu() {
        assertEquals(EncoderDevice.CPU, OnnxTextEncoder.resolveDevice(EncoderDevice.AUTO, "m"));
        assertEquals(EncoderDevice.CPU, OnnxTextEncoder.resolveDevice(EncoderDevice.CPU, "m"));
    }

    @Test
    void cudaWithoutCudaFailsSayingSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OnnxTextEncoder.resolveDevice(EncoderDevice.CUDA, "m"));
        assertTrue(e.getMessage().contains("the CUDA execution provider is not available"), e.getMessage());
        assertTrue(e.getMessage().contains("-Pgpu"), e.getMessage());
    }

    @Test
    void parseNamesTheChoices() {
        assertEquals(EncoderDevice.CUDA, EncoderDevice.parse("CUDA"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncoderDevice.parse("gpu"));
        assertEquals("unknown encoder device [gpu], expected one of [auto, cpu, cuda]", e.getMessage());
    }
}

package org.semanticranking.encoder;

import org.elasticsearch.test.ESTestCase;

/** The CPU build of ONNX Runtime (the default zip, and CI) has no CUDA provider. */
public class EncoderDeviceTests extends ESTestCase {

    public void testAutoFallsBackToTheCpu() {
        assertEquals(EncoderDevice.CPU, OnnxTextEncoder.resolveDevice(EncoderDevice.AUTO, "m"));
        assertEquals(EncoderDevice.CPU, OnnxTextEncoder.resolveDevice(EncoderDevice.CPU, "m"));
    }

    public void testCudaWithoutCudaFailsSayingSo() {
        IllegalStateException e =
                expectThrows(IllegalStateException.class, () -> OnnxTextEncoder.resolveDevice(EncoderDevice.CUDA, "m"));
        assertTrue(e.getMessage(), e.getMessage().contains("the CUDA execution provider is not available"));
        assertTrue(e.getMessage(), e.getMessage().contains("-Pgpu"));
    }

    public void testParseNamesTheChoices() {
        assertEquals(EncoderDevice.CUDA, EncoderDevice.parse("CUDA"));
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> EncoderDevice.parse("gpu"));
        assertEquals("unknown encoder device [gpu], expected one of [auto, cpu, cuda]", e.getMessage());
    }
}

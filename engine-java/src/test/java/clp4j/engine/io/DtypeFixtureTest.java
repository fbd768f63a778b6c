package clp4j.engine.io;

import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.tensor.DType;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static clp4j.engine.io.SafetensorsRoundTripTest.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reads dtype_fixture.safetensors, written by hand by make_dtype_fixture.py (torch 1.13 / numpy),
 * and compares BF16 and F16 decoding bit for bit with the F32 values torch and numpy computed.
 */
class DtypeFixtureTest {
    static Path fixture() throws Exception {
        return Path.of(DtypeFixtureTest.class.getResource("dtype_fixture.safetensors").toURI());
    }

    @Test
    void bf16AndF16DecodeAsTorchAndNumpyDo() throws Exception {
        try (SafetensorsFile sf = SafetensorsFile.open(fixture())) {
            assertEquals(DType.BF16, sf.entry("bf16").dtype());
            assertEquals(DType.F16, sf.entry("f16").dtype());
            assertArrayEquals(bits(sf.readF32("bf16.as_f32")), bits(sf.readF32("bf16")));
            assertArrayEquals(bits(sf.readF32("f16.as_f32")), bits(sf.readF32("f16")));
            // Spot checks written in Java terms: bf16 0x0001 is the smallest bf16 subnormal, f16 0x0001 is 2^-24.
            assertEquals(Float.intBitsToFloat(0x00010000), sf.readF32("bf16")[2]);
            assertEquals(0x1p-24f, sf.readF32("f16")[2]);
            assertEquals(Float.POSITIVE_INFINITY, sf.readF32("f16")[8]);
        }
    }

    @Test
    void readsAForeignWritersLayoutIntoBackendTensors() throws Exception {
        ReferenceBackend backend = new ReferenceBackend();
        try (TensorScope live = TensorScope.open()) {
          try (SafetensorsWeights w = SafetensorsWeights.openFile(fixture())) {
            assertEquals(List.of("scalar", "f32", "bf16.as_f32", "bf16", "f16.as_f32", "f16", "empty"), List.copyOf(w.names()));
            assertEquals("make_dtype_fixture.py", w.metadata().get("made_by"));
            Map<String, Tensor> all = w.readAll(backend);
            assertArrayEquals(new int[0], all.get("scalar").shape());
            assertEquals(2.5f, all.get("scalar").item());
            assertArrayEquals(new int[] {2, 3, 8}, all.get("f16").shape());
            assertArrayEquals(new int[] {0, 5}, all.get("empty").shape());
            assertArrayEquals(bits(w.readF32("f16")), bits(all.get("f16").toArray()));
            assertEquals(0x7fc12345, Float.floatToRawIntBits(all.get("f32").toArray()[5]));
            all.values().forEach(Tensor::close);
        }
        assertEquals(0, live.trackedCount());
        }
    }
}

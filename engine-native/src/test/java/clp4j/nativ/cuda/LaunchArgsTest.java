package clp4j.nativ.cuda;

import clp4j.kernels.KernelPtx;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaunchArgsTest {

    private static long valueAt(LaunchArgs a, int i) {
        return a.buffer().get(JAVA_LONG, 8L * i) - a.buffer().address();
    }

    @Test
    void tableEntriesPointAtAlignedValues() {
        try (LaunchArgs a = new LaunchArgs()) {
            a.begin().ptr(0xdead0000L).i32(-7).f32(1.5f).i64(1L << 40).dims(new long[] {3, 4}, new long[] {4, 1});
            assertEquals(5, a.count());
            MemorySegment b = a.buffer();
            assertEquals(0xdead0000L, b.get(JAVA_LONG, valueAt(a, 0)));
            assertEquals(-7, b.get(JAVA_INT, valueAt(a, 1)));
            assertEquals(1.5f, b.get(JAVA_FLOAT, valueAt(a, 2)));
            assertEquals(1L << 40, b.get(JAVA_LONG, valueAt(a, 3)));
            long dims = valueAt(a, 4);
            assertEquals(0, dims % 8, "structs are 8-byte aligned");
            assertEquals(2, b.get(JAVA_INT, dims));
            assertEquals(3, b.get(JAVA_LONG, dims + 8));
            assertEquals(4, b.get(JAVA_LONG, dims + 16));
            assertEquals(4, b.get(JAVA_LONG, dims + 8 + 64));
            assertEquals(1, b.get(JAVA_LONG, dims + 8 + 72));
            a.begin().i32(1);
            assertEquals(1, a.count(), "begin() starts a new list");
        }
    }

    @Test
    void mixStructHoldsPointersThenCoefficients() {
        try (LaunchArgs a = new LaunchArgs()) {
            a.begin().mix(new long[] {16, 32, 48}, new float[] {0.25f, 0.5f, 0.75f}, 1, 2);
            long at = valueAt(a, 0);
            assertEquals(32, a.buffer().get(JAVA_LONG, at));
            assertEquals(48, a.buffer().get(JAVA_LONG, at + 8));
            assertEquals(0, a.buffer().get(JAVA_LONG, at + 16));
            assertEquals(0.5f, a.buffer().get(JAVA_FLOAT, at + 64));
            assertEquals(0.75f, a.buffer().get(JAVA_FLOAT, at + 68));
            assertThrows(IllegalArgumentException.class, () -> a.begin().mix(new long[9], new float[9], 0, 9));
        }
    }

    /** The struct sizes written here must be those the PTX declares for the kernels' by-value parameters. */
    @Test
    void structSizesMatchThePtxParameters() {
        String elementwise = new String(KernelPtx.ptx("elementwise"), StandardCharsets.US_ASCII);
        assertTrue(elementwise.contains(".param .align 8 .b8 clp_binary_param_6[" + LaunchArgs.DIMS_BYTES + "]"),
                "Dims is " + LaunchArgs.DIMS_BYTES + " bytes in LaunchArgs but not in elementwise.ptx");
        String mix = new String(KernelPtx.ptx("mix"), StandardCharsets.US_ASCII);
        assertTrue(mix.contains(".param .align 8 .b8 clp_mix_param_1[" + LaunchArgs.MIX_BYTES + "]"),
                "MixPtrs is " + LaunchArgs.MIX_BYTES + " bytes in LaunchArgs but not in mix.ptx");
    }
}

package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** VMath's exp and tanh: close to java.lang.Math, special values, and vector lanes equal to the scalar twins bit for bit. */
class VMathTest {
    private static final int L = Simd.L;

    @Test
    void accurateAndVectorEqualsScalar() {
        Random rnd = new Random(2);
        float[] x = new float[L * 4000];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 200 - 100) / (1 + rnd.nextInt(50));
        float[] ve = new float[x.length], vt = new float[x.length];
        for (int i = 0; i < x.length; i += L) {
            VMath.exp(FloatVector.fromArray(Simd.F, x, i)).intoArray(ve, i);
            VMath.tanh(FloatVector.fromArray(Simd.F, x, i)).intoArray(vt, i);
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(VMath.exp(x[i])), Float.floatToIntBits(ve[i]), "exp(" + x[i] + ") vector vs scalar");
            assertEquals(Float.floatToIntBits(VMath.tanh(x[i])), Float.floatToIntBits(vt[i]), "tanh(" + x[i] + ") vector vs scalar");
            double e = Math.exp(x[i]);
            if (e > 1e-37 && e < 1e38) assertTrue(Math.abs(ve[i] - e) <= 3 * Math.ulp((float) e), "exp(" + x[i] + ") = " + ve[i] + ", Math " + e);
            double t = Math.tanh(x[i]);
            assertTrue(Math.abs(vt[i] - t) <= 3 * Math.ulp((float) t) + 1e-38, "tanh(" + x[i] + ") = " + vt[i] + ", Math " + t);
        }
    }

    @Test
    void specialValues() {
        assertEquals(0f, VMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, VMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, VMath.exp(100f));
        assertEquals(0f, VMath.exp(-200f));
        assertEquals(1f, VMath.exp(0f));
        assertTrue(Float.isNaN(VMath.exp(Float.NaN)));
        assertEquals(1f, VMath.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, VMath.tanh(-30f));
        assertEquals(0f, VMath.tanh(0f));
        assertTrue(Float.isNaN(VMath.tanh(Float.NaN)));
        float[] sp = new float[L];
        sp[0] = Float.NEGATIVE_INFINITY;
        sp[L - 1] = Float.NaN;
        float[] out = new float[L];
        VMath.exp(FloatVector.fromArray(Simd.F, sp, 0)).intoArray(out, 0);
        assertEquals(0f, out[0]);
        assertTrue(Float.isNaN(out[L - 1]));
    }
}

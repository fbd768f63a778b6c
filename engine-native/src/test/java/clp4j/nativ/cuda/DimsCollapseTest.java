package clp4j.nativ.cuda;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DimsCollapseTest {

    @Test
    void collapsedWalksVisitTheSameOffsets() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            int rank = 1 + rnd.nextInt(7);
            long[] dims = new long[rank], strides = new long[rank];
            long acc = 1;
            for (int i = rank - 1; i >= 0; i--) {
                dims[i] = 1 + rnd.nextInt(4);
                // contiguous, broadcast (0) or permuted-looking strides
                int kind = rnd.nextInt(3);
                strides[i] = kind == 0 ? acc : kind == 1 ? 0 : acc * (1 + rnd.nextInt(3));
                acc *= dims[i];
            }
            long[][] c = DimsCollapse.collapse(dims, strides);
            assertTrue(c[0].length <= rank);
            long n = 1;
            for (long d : dims) n *= d;
            for (long i = 0; i < n; i++) {
                assertEquals(DimsCollapse.offset(dims, strides, i), DimsCollapse.offset(c[0], c[1], i), "element " + i);
            }
        }
    }

    @Test
    void contiguousAndBroadcastRunsMerge() {
        long[][] c = DimsCollapse.collapse(new long[] {2, 3, 4, 5}, new long[] {60, 20, 5, 1});
        assertEquals(1, c[0].length);
        assertEquals(120, c[0][0]);
        long[][] bias = DimsCollapse.collapse(new long[] {2, 3, 4, 5}, new long[] {0, 0, 5, 1});
        assertEquals(2, bias[0].length, "a bias over [4, 5] broadcast on [2, 3]: one broadcast axis, one contiguous");
        assertEquals(0, bias[1][0]);
    }

    @Test
    void tooManyAxesIsAnErrorNamingTheShape() {
        long[] dims = new long[10], strides = new long[10];
        for (int i = 0; i < 10; i++) { dims[i] = 2; strides[i] = 1L << (2 * i); }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DimsCollapse.collapse(dims, strides));
        assertTrue(e.getMessage().contains("at most 8"), e.getMessage());
    }
}

package clp4j.engine.backend.vector;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guided split of GEMM work: block starts written out by hand, and the invariants over many sizes. */
class GuidedBlocksTest {

    private static int[] starts(int total, int unit, int min, int max, int threads) {
        int n = GuidedBlocks.count(total, unit, min, max, threads);
        int[] s = new int[n + 1];
        for (int b = 0; b <= n; b++) s[b] = GuidedBlocks.start(b, total, unit, min, max, threads);
        return s;
    }

    @Test
    void blocksShrinkFromTheCapToTheMinimum() {
        // 86 micro-panels of 12 rows over 2 threads: 16 at most, then a quarter of what is left
        assertArrayEquals(new int[]{0, 192, 384, 552, 672, 768, 840, 888, 924, 960, 984, 996, 1008, 1020, 1024},
                starts(1024, 12, 1, 16, 2));
        // the minimum holds at the end, and the last block stops at total
        assertArrayEquals(new int[]{0, 128, 224, 304, 368, 432, 496, 500}, starts(500, 16, 4, Integer.MAX_VALUE, 2));
        // min == max: equal blocks, one per thread
        assertArrayEquals(new int[]{0, 256, 500}, starts(500, 32, 8, 8, 2));
        assertArrayEquals(new int[]{0, 7}, starts(7, 16, 4, Integer.MAX_VALUE, 2));
    }

    @Test
    void blocksTileTheRangeInWholeUnits() {
        for (int total = 1; total < 2000; total += 37) {
            for (int threads = 1; threads <= 4; threads++) {
                for (int[] mm : new int[][]{{1, 16}, {4, Integer.MAX_VALUE}, {3, 3}}) {
                    int[] s = starts(total, 12, mm[0], mm[1], threads);
                    String at = "total " + total + ", threads " + threads + ": " + Arrays.toString(s);
                    assertEquals(0, s[0], at);
                    assertEquals(total, s[s.length - 1], at);
                    for (int i = 1; i < s.length; i++) {
                        assertTrue(s[i] > s[i - 1], at);
                        assertTrue(s[i] - s[i - 1] <= (long) Math.min(mm[1], 1000) * 12, at);
                        if (i < s.length - 1) {
                            assertEquals(0, s[i] % 12, at);
                            assertTrue(s[i] - s[i - 1] >= mm[0] * 12, at);
                        }
                    }
                }
            }
        }
    }
}

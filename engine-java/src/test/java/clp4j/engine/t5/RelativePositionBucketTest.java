package clp4j.engine.t5;

import clp4j.engine.io.SafetensorsFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bucket ids against the PyTorch reference formula for every relative position in [-2048, 2048]. */
class RelativePositionBucketTest {
    private static final int FIRST = -2048;

    @Test
    void everyDistanceMatchesTheReference() throws Exception {
        int checked = 0;
        try (SafetensorsFile f = SafetensorsFile.open(T5Fixtures.dir().resolve("buckets.safetensors"))) {
            assertEquals(String.valueOf(FIRST), f.metadata().get("first_relative_position"));
            for (int[] setting : new int[][] {{32, 128}, {16, 32}, {8, 20}}) {
                for (boolean bidirectional : new boolean[] {true, false}) {
                    String name = (bidirectional ? "bidirectional_" : "unidirectional_") + setting[0] + "_" + setting[1];
                    float[] expected = f.readF32(name);
                    assertEquals(4097, expected.length, name);
                    for (int i = 0; i < expected.length; i++) {
                        int rel = FIRST + i;
                        assertEquals((int) expected[i], RelativePositionBucket.bucket(rel, bidirectional, setting[0], setting[1]),
                                name + " at relative position " + rel);
                        checked++;
                    }
                }
            }
        }
        assertEquals(6 * 4097, checked);
    }

    @Test
    void fillLaysOutQueryRowsOverKeys() {
        int[] ids = new int[3 * 5];
        RelativePositionBucket.fill(ids, 2, 3, 5, false, 32, 128);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(RelativePositionBucket.bucket(j - (2 + i), false, 32, 128), ids[i * 5 + j]);
            }
        }
        // unidirectional: a key after the query is bucket 0; one step back is bucket 1
        assertEquals(0, ids[4]);
        assertEquals(1, ids[1]);
        assertTrue(RelativePositionBucket.bucket(-5000, true, 32, 128) == 15);
        assertTrue(RelativePositionBucket.bucket(5000, true, 32, 128) == 31);
    }
}

package clp4j.clp.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class DataOrderTest {
    @Test
    void everyEpochIsAPermutationAndEpochsDiffer() {
        DataOrder o = new DataOrder(10, 5);
        int[] e0 = new int[10], e1 = new int[10];
        for (int i = 0; i < 10; i++) {
            e0[i] = o.exampleAt(i);
            e1[i] = o.exampleAt(10 + i);
        }
        int[] sorted = e0.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        assertFalse(Arrays.equals(e0, e1), "a fresh order each epoch");
        assertEquals(1, o.epochOf(13));
        assertEquals(3, o.cursorOf(13));
    }

    @Test
    void orderIsAFunctionOfSeedAndPosition() {
        DataOrder a = new DataOrder(7, 11);
        int[] straight = new int[30];
        for (int i = 0; i < 30; i++) straight[i] = a.exampleAt(i);
        // a fresh order asked from the middle of the run (as a resumed run does) gives the same examples
        DataOrder b = new DataOrder(7, 11);
        for (int i = 29; i >= 17; i--) assertEquals(straight[i], b.exampleAt(i));
        assertFalse(Arrays.equals(order(new DataOrder(7, 11)), order(new DataOrder(7, 12))));
    }

    private static int[] order(DataOrder o) {
        int[] r = new int[7];
        for (int i = 0; i < 7; i++) r[i] = o.exampleAt(i);
        return r;
    }
}

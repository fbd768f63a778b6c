package clp4j.engine.io;

import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutates a valid file (the Python-made fixture: three dtypes, metadata, a scalar, an empty tensor)
 * 10,000 times with a fixed seed. Every mutant must either load completely or fail with a
 * {@link FormatException}; anything else (another exception, an OOM, a leaked tensor) fails the test.
 */
class SafetensorsFuzzTest {
    private static final byte[] INTERESTING = "{}[]\",:-0129eE. \\u".getBytes();
    @TempDir Path dir;

    @Test
    void tenThousandMutantsGiveOnlyValidLoadsOrFormatExceptions() throws Exception {
        byte[] seed;
        try (InputStream in = getClass().getResourceAsStream("dtype_fixture.safetensors")) {
            seed = in.readAllBytes();
        }
        int headerEnd = 8 + (int) ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        Random r = new Random(20261126L);
        ReferenceBackend backend = new ReferenceBackend();
        Path f = dir.resolve("mutant.safetensors");
        int loaded = 0, refused = 0;
        // Rewritten in place: reopening and truncating a file 10,000 times costs far more than the parsing under test.
        try (FileChannel out = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
          for (int iter = 0; iter < 10_000; iter++) {
            byte[] m = mutate(seed, headerEnd, r);
            out.write(ByteBuffer.wrap(m), 0);
            if (out.size() > m.length) out.truncate(m.length);
            try (TensorScope live = TensorScope.open()) {
            try (SafetensorsFile sf = SafetensorsFile.open(f)) {
                for (String n : sf.tensors().keySet()) {
                    try (Tensor t = sf.read(n, backend)) {
                        assertEquals(sf.entry(n).numel(), t.numel());
                    }
                }
                loaded++;
            } catch (FormatException expected) {
                assertTrue(expected.getMessage().contains(f.toString()), expected.getMessage());
                refused++;
            } catch (Throwable other) {
                fail("mutant " + iter + " (" + m.length + " bytes) threw " + other, other);
            }
            assertEquals(0, live.trackedCount(), "mutant " + iter + " leaked a tensor");
            }
          }
        }
        // Both outcomes must be common, or the mutations exercise too little.
        assertTrue(loaded > 1000 && refused > 5000, "loaded " + loaded + ", refused " + refused);
    }

    /** Usually one mutation, sometimes two or three, mostly in the header where the parser is exercised. */
    static byte[] mutate(byte[] seed, int headerEnd, Random r) {
        byte[] m = seed.clone();
        int count = r.nextInt(4) == 0 ? 2 + r.nextInt(2) : 1;
        for (int k = 0; k < count; k++) {
            int at = m.length == 0 ? 0 : r.nextInt(10) < 7 ? r.nextInt(Math.min(headerEnd, m.length)) : r.nextInt(m.length);
            switch (r.nextInt(8)) {
                case 0, 1 -> { if (m.length > 0) m[at] ^= (byte) (1 << r.nextInt(8)); }                 // bit flip
                case 2 -> { if (m.length > 0) m[at] = (byte) r.nextInt(256); }                          // random byte
                case 3 -> { if (m.length > 0) m[at] = INTERESTING[r.nextInt(INTERESTING.length)]; }     // JSON syntax byte
                case 4 -> m = Arrays.copyOf(m, r.nextInt(m.length + 1));                                // truncation
                case 5 -> {                                                                              // header length edit
                    long n = ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                    long v = switch (r.nextInt(4)) {
                        case 0 -> n + r.nextInt(17) - 8;
                        case 1 -> r.nextLong();
                        case 2 -> 1L << r.nextInt(64);
                        default -> r.nextInt(m.length + 16);
                    };
                    if (m.length >= 8) ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v);
                }
                case 6 -> {                                                                              // delete a byte
                    if (m.length > 0) {
                        byte[] d = new byte[m.length - 1];
                        System.arraycopy(m, 0, d, 0, at);
                        System.arraycopy(m, at + 1, d, at, m.length - at - 1);
                        m = d;
                    }
                }
                default -> {                                                                             // digit run in a number
                    if (at > 8 && at < m.length && m[at] >= '0' && m[at] <= '9') m[at] = (byte) ('0' + r.nextInt(10));
                    else if (m.length > 0) m[at] = (byte) '9';
                }
            }
        }
        return m;
    }
}

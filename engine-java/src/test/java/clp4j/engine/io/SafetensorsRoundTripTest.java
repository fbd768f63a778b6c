package clp4j.engine.io;

import org.junit.jupiter.api.AfterEach;
import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.tensor.DType;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsRoundTripTest {
    @TempDir Path dir;
    final ReferenceBackend backend = new ReferenceBackend();
    /** Counts tensors the test allocated and did not release (the leak check). */
    final TensorScope live = TensorScope.open();

    @AfterEach
    void closeScope() { live.close(); }

    static int[] bits(float[] f) {
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) b[i] = Float.floatToRawIntBits(f[i]);
        return b;
    }

    static float[] floats(int... bits) {
        float[] f = new float[bits.length];
        for (int i = 0; i < bits.length; i++) f[i] = Float.intBitsToFloat(bits[i]);
        return f;
    }

    @Test
    void f32IsBitExactIncludingNanPayloadsInfinitiesAndSubnormals() throws Exception {
        float[] special = floats(0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff,
                0x7f800000, 0xff800000, 0x7fc00000, 0xffc12345, 0x7fbfffff, 0x7f800001, 0x3f800001);
        float[] random = new float[1_500_000]; // more than one chunk
        Random r = new Random(7);
        for (int i = 0; i < random.length; i++) random[i] = Float.intBitsToFloat(r.nextInt());
        Map<String, Tensor> ts = new LinkedHashMap<>();
        ts.put("special", backend.fromArray(special, 2, 7));
        ts.put("random", backend.fromArray(random, 1500, 1000));
        ts.put("scalar", backend.fromArray(new float[] {-3.25f}));
        ts.put("empty", backend.zeros(0, 4));
        Path f = dir.resolve("m.safetensors");
        SafetensorsWriter.write(f, ts, DType.F32, Map.of("k", "v"));
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertEquals(Map.of("k", "v"), sf.metadata());
            for (var e : ts.entrySet()) {
                try (Tensor back = sf.read(e.getKey(), backend)) {
                    assertArrayEquals(e.getValue().shape(), back.shape(), e.getKey());
                    assertArrayEquals(bits(e.getValue().toArray()), bits(back.toArray()), e.getKey());
                }
            }
            // The file bytes themselves carry the exact bits, little-endian.
            TensorEntry se = sf.entry("special");
            ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
            long dataStart = 8 + raw.getLong(0);
            for (int i = 0; i < special.length; i++) {
                assertEquals(Float.floatToRawIntBits(special[i]), raw.getInt((int) (dataStart + se.begin() + 4L * i)));
            }
        }
        ts.values().forEach(Tensor::close);
        assertEquals(0, live.trackedCount());
    }

    @Test
    void bf16IsBitExactForRepresentableValuesAndRoundsToNearestEven() throws Exception {
        // Values with zero low halves survive BF16 exactly: zeros, subnormals, extremes, infinities, quiet NaN payloads.
        int[] exact = {0x00000000, 0x80000000, 0x00010000, 0x807f0000, 0x00800000, 0x7f7f0000, 0xff7f0000, 0x7f800000,
                0xff800000, 0x7fc00000, 0xffc10000, 0x7fe50000, 0x3f800000, 0x40490000};
        float one = 1f, ulp = 0x1p-7f;
        float[] rounding = {one + ulp / 2, one + ulp * 3 / 2, one + ulp / 2 + 0x1p-20f, -(one + ulp * 3 / 2)};
        float[] wantRounded = {one, one + 2 * ulp, one + ulp, -(one + 2 * ulp)};
        Path f = dir.resolve("b.safetensors");
        Map<String, Tensor> ts = Map.of("exact", backend.fromArray(floats(exact), exact.length),
                "round", backend.fromArray(rounding, 4));
        SafetensorsWriter.write(f, ts, DType.BF16, null);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertEquals(DType.BF16, sf.entry("exact").dtype());
            assertEquals(Map.of(), sf.metadata());
            assertArrayEquals(exact, bits(sf.readF32("exact")));
            assertArrayEquals(bits(wantRounded), bits(sf.readF32("round")));
        }
        // A signalling NaN becomes quiet (BF16 keeps NaN a NaN), never infinity.
        SafetensorsWriter.write(f, Map.of("s", backend.fromArray(floats(0x7f800001), 1)), DType.BF16, null);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertTrue(Float.isNaN(sf.readF32("s")[0]));
        }
    }

    @Test
    void f16WritesAndReadsBack() throws Exception {
        int[] halfBits = {0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x3c00, 0x4248};
        float[] v = new float[halfBits.length];
        for (int i = 0; i < v.length; i++) v[i] = Float.float16ToFloat((short) halfBits[i]);
        Path f = dir.resolve("h.safetensors");
        SafetensorsWriter.write(f, Map.of("h", backend.fromArray(v, 3, 4)), DType.F16, null);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertArrayEquals(bits(v), bits(sf.readF32("h")));
        }
    }

    @Test
    void headerIsLaidOutAsTheReferenceWriterDoes() throws Exception {
        Map<String, Tensor> ts = new LinkedHashMap<>();
        ts.put("b", backend.fromArray(new float[] {1, 2}, 2));
        ts.put("a.x", backend.fromArray(new float[] {3}, 1, 1));
        ts.put("a", backend.fromArray(new float[] {4, 5, 6}, 3));
        Path f = dir.resolve("o.safetensors");
        SafetensorsWriter.write(f, ts, DType.F32, Map.of("format", "pt"));
        byte[] all = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8, "header length is padded to 8 bytes");
        String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"a.x\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[12,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}}";
        assertEquals(json + " ".repeat((int) n - json.length()), header);
        assertEquals(8 + n + 24, all.length);
        // Deterministic: writing the same tensors again gives the same bytes.
        SafetensorsWriter.write(f, ts, DType.F32, Map.of("format", "pt"));
        assertArrayEquals(all, Files.readAllBytes(f));
    }

    @Test
    void replacesAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
        Path f = dir.resolve("x.safetensors");
        Files.writeString(f, "old content");
        SafetensorsWriter.write(f, Map.of("t", backend.fromArray(new float[] {1}, 1)), DType.F32, null);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertArrayEquals(new float[] {1}, sf.readF32("t"));
        }
        try (var s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
        // The umask decides the permissions, as for any new file (not a temporary file's owner-only mode).
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
    }

    @Test
    void readsIntoViewsOfALargerStorageOnTheWriterSide() throws Exception {
        Tensor big = backend.fromArray(new float[] {0, 1, 2, 3, 4, 5}, 3, 2);
        Path f = dir.resolve("v.safetensors");
        SafetensorsWriter.write(f, Map.of("row1", big.slice0(1, 3)), DType.F32, null);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertArrayEquals(new float[] {2, 3, 4, 5}, sf.readF32("row1"));
        }
    }
}

package clp4j.engine.io;

import clp4j.engine.tensor.DType;
import clp4j.engine.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files as the reference writer does: tensors sorted by name (UTF-8 byte order),
 * laid out contiguously in that order, {@code __metadata__} first in the header, compact JSON padded
 * with spaces to a multiple of 8 bytes. The file is replaced atomically ({@link AtomicFiles}) and
 * tensors are copied off the backend in bounded chunks, so the model is never held twice.
 * F32 is bit-exact; BF16 and F16 round to nearest even ({@link DType}).
 */
public final class SafetensorsWriter {
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private SafetensorsWriter() { }

    /**
     * Writes {@code tensors} to {@code file} in {@code dtype}. {@code metadata} may be null (then the
     * header has no {@code __metadata__}).
     */
    public static void write(Path file, Map<String, Tensor> tensors, DType dtype, Map<String, String> metadata) throws IOException {
        List<String> names = new ArrayList<>(tensors.keySet());
        for (String n : names) {
            if (n.isEmpty() || n.equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("cannot write a tensor called \"" + n + "\" to " + file + "; rename it");
            }
            if (tensors.get(n).isReleased()) throw new IllegalArgumentException("tensor \"" + n + "\" was released before writing " + file);
        }
        names.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        byte[] header = header(names, tensors, dtype, metadata);
        AtomicFiles.write(file, ch -> {
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            AtomicFiles.writeFully(ch, prefix);
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
            float[] chunk = new float[SafetensorsFile.CHUNK_ELEMENTS];
            ByteBuffer out = ByteBuffer.allocateDirect(SafetensorsFile.CHUNK_ELEMENTS * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            for (String n : names) writeData(ch, tensors.get(n), dtype, chunk, out);
        });
    }

    static byte[] header(List<String> names, Map<String, Tensor> tensors, DType dtype, Map<String, String> metadata) {
        Map<String, Object> h = new LinkedHashMap<>();
        if (metadata != null) h.put(SafetensorsHeader.METADATA_KEY, new LinkedHashMap<>(metadata));
        long at = 0;
        for (String n : names) {
            Tensor t = tensors.get(n);
            long end = at + t.numel() * dtype.byteSize();
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("dtype", dtype.safetensorsName());
            e.put("shape", Arrays.stream(t.shape()).boxed().toList());
            e.put("data_offsets", List.of(at, end));
            h.put(n, e);
            at = end;
        }
        byte[] json = JsonWriter.compact(h).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeData(FileChannel ch, Tensor t, DType dtype, float[] chunk, ByteBuffer out) throws IOException {
        int n = t.size();
        if (n == 0) return;
        Tensor flat = t.reshape(n);
        MemorySegment seg = MemorySegment.ofBuffer(out.clear()); // the whole buffer, whatever its position
        for (int from = 0; from < n; from += chunk.length) {
            int count = Math.min(chunk.length, n - from);
            t.backend().copyToHost(count == n ? flat : flat.slice0(from, from + count), chunk);
            out.clear();
            switch (dtype) {
                case F32 -> MemorySegment.copy(chunk, 0, seg, F32_LE, 0, count);
                case BF16 -> { for (int i = 0; i < count; i++) out.putShort(2 * i, DType.f32ToBf16(chunk[i])); }
                case F16 -> { for (int i = 0; i < count; i++) out.putShort(2 * i, DType.f32ToF16(chunk[i])); }
            }
            out.limit(count * dtype.byteSize());
            AtomicFiles.writeFully(ch, out);
        }
    }
}

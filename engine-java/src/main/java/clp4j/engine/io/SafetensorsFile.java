package clp4j.engine.io;

import clp4j.engine.backend.Backend;
import clp4j.engine.tensor.DType;
import clp4j.engine.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A validated safetensors file open for reading. Tensor data is memory-mapped chunk by chunk
 * through {@code java.lang.foreign}, each chunk in its own confined {@link Arena} closed right
 * after use, so mappings are released deterministically and a load never keeps more than one
 * chunk of the file mapped (the process RSS grows by the loaded tensors, not by the file too).
 *
 * <p>Layout: u64 little-endian header length N, N bytes of UTF-8 JSON (see {@link SafetensorsHeader}),
 * then the data section, to which the tensors' offsets are relative.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Elements converted per mapped chunk: bounds both the mapping and the host staging buffer. */
    static final int CHUNK_ELEMENTS = 1 << 20;
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);

    private final Path path;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final long dataStart;
    private final long fileSize;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header, long dataStart, long fileSize) {
        this.path = path;
        this.channel = channel;
        this.header = header;
        this.dataStart = dataStart;
        this.fileSize = fileSize;
    }

    /** Opens and validates {@code file}; a malformed file is a {@link FormatException} naming it. */
    public static SafetensorsFile open(Path file) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "safetensors file not found; check the path");
        }
        try {
            long size = ch.size();
            if (size < 8) {
                throw new FormatException(file + ": " + size + " bytes, shorter than the 8-byte header length of a "
                        + "safetensors file; the file is empty or truncated: re-download or re-export it");
            }
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, prefix, 0, file);
            long n = prefix.getLong(0);
            if (n < 0 || n > SafetensorsHeader.MAX_HEADER_BYTES) {
                throw new FormatException(file + ": header length " + Long.toUnsignedString(n) + " exceeds the "
                        + SafetensorsHeader.MAX_HEADER_BYTES + "-byte limit; this is not a safetensors file or it is corrupt");
            }
            if (n > size - 8) {
                throw new FormatException(file + ": header length " + n + " runs past the end of the " + size
                        + "-byte file; the file is truncated or corrupt: re-download or re-export it");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8, file);
            SafetensorsHeader header = SafetensorsHeader.parse(hb.array(), size - 8 - n, file.toString());
            return new SafetensorsFile(file, ch, header, 8 + n, size);
        } catch (IOException | RuntimeException | Error e) {
            ch.close();
            throw e;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long at, Path file) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, at + buf.position());
            if (r < 0) throw new FormatException(file + ": the file ended while reading its header; it was truncated while being read");
        }
    }

    public Path path() { return path; }
    public SafetensorsHeader header() { return header; }
    public Map<String, TensorEntry> tensors() { return header.tensors(); }
    public Map<String, String> metadata() { return header.metadata(); }

    /** The entry called {@code name}; a missing name is a {@link FormatException} naming the file. */
    public TensorEntry entry(String name) throws FormatException {
        TensorEntry e = header.tensors().get(name);
        if (e == null) throw new FormatException(path + " has no tensor \"" + name + "\"; check the name or the checkpoint");
        return e;
    }

    /** Reads tensor {@code name} as F32 into a new tensor on {@code backend}, copying in bounded chunks. */
    public Tensor read(String name, Backend backend) throws IOException {
        return read(name, backend, new float[Math.min(Math.max(entry(name).numel(), 1), CHUNK_ELEMENTS)]);
    }

    /**
     * As {@link #read(String, Backend)}, staging the chunks in {@code staging} (any non-empty length;
     * loaders reuse one buffer for all tensors so a load makes no garbage proportional to the model).
     */
    public Tensor read(String name, Backend backend, float[] staging) throws IOException {
        if (staging.length == 0) throw new IllegalArgumentException("the staging buffer must not be empty");
        TensorEntry e = entry(name);
        Tensor t = backend.zeros(e.shape());
        try {
            int n = e.numel();
            if (n == 0) return t;
            Tensor flat = t.reshape(n);
            float[] chunk = staging;
            for (int from = 0; from < n; from += chunk.length) {
                int count = Math.min(chunk.length, n - from);
                readInto(e, from, count, chunk, 0);
                backend.copyFromHost(chunk, 0, count == n ? flat : flat.slice0(from, from + count));
            }
            return t;
        } catch (IOException | RuntimeException | Error ex) {
            t.close();
            throw ex;
        }
    }

    /** Reads tensor {@code name} as F32 into a new host array (for small tensors and tests). */
    public float[] readF32(String name) throws IOException {
        TensorEntry e = entry(name);
        float[] out = new float[e.numel()];
        for (int from = 0; from < out.length; from += CHUNK_ELEMENTS) {
            readInto(e, from, Math.min(CHUNK_ELEMENTS, out.length - from), out, from);
        }
        return out;
    }

    /** Elements [first, first + count) of {@code e}, converted to F32, into dst[dstPos ..]. */
    void readInto(TensorEntry e, int first, int count, float[] dst, int dstPos) throws IOException {
        int bs = e.dtype().byteSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = map(e.begin() + (long) first * bs, (long) count * bs, arena, e.name());
            switch (e.dtype()) {
                case F32 -> MemorySegment.copy(seg, F32_LE, 0, dst, dstPos, count);
                case BF16 -> {
                    for (int i = 0; i < count; i++) dst[dstPos + i] = DType.bf16ToF32(seg.getAtIndex(U16_LE, i));
                }
                case F16 -> {
                    for (int i = 0; i < count; i++) dst[dstPos + i] = DType.f16ToF32(seg.getAtIndex(U16_LE, i));
                }
            }
        }
    }

    /**
     * Whether tensor {@code a} of this file and tensor {@code b} of {@code other} have the same dtype,
     * shape and bytes (used to recognise tied aliases without loading them).
     */
    public boolean sameContent(String a, SafetensorsFile other, String b) throws IOException {
        TensorEntry ea = entry(a), eb = other.entry(b);
        if (ea.dtype() != eb.dtype() || !java.util.Arrays.equals(ea.shape(), eb.shape())) return false;
        long len = ea.byteSize();
        long step = (long) CHUNK_ELEMENTS * 4;
        for (long at = 0; at < len; at += step) {
            long n = Math.min(step, len - at);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment sa = map(ea.begin() + at, n, arena, a);
                MemorySegment sb = other.map(eb.begin() + at, n, arena, b);
                if (sa.mismatch(sb) >= 0) return false;
            }
        }
        return true;
    }

    private MemorySegment map(long dataOffset, long length, Arena arena, String tensor) throws IOException {
        if (!channel.isOpen()) throw new IllegalStateException(path + " was closed");
        if (length == 0) return EMPTY;
        long at = dataStart + dataOffset;
        // The header was validated against the size at open; a file cut short since then must not SIGBUS.
        if (channel.size() < fileSize) {
            throw new FormatException(path + ": the file shrank from " + fileSize + " to " + channel.size()
                    + " bytes while open (tensor \"" + tensor + "\"); do not modify checkpoints while they load");
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, at, length, arena);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() { return "SafetensorsFile(" + path + ", " + header.tensors().size() + " tensors)"; }
}

package clp4j.engine.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-built safetensors bytes for tests: a length prefix, header bytes, data bytes. */
final class RawSafetensors {
    private RawSafetensors() { }

    /** A file whose prefix is the real header length. */
    static byte[] file(String header, int dataBytes) {
        return file(header.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    static byte[] file(byte[] header, int dataBytes) {
        return withLength(header.length, header, dataBytes);
    }

    /** A file whose prefix claims {@code claimed} header bytes, whatever follows. */
    static byte[] withLength(long claimed, byte[] header, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(claimed).put(header);
        for (int i = 0; i < dataBytes; i++) b.put((byte) i);
        return b.array();
    }

    /** One F32 tensor entry. */
    static String f32(String name, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }
}

package clp4j.engine.tensor;

/**
 * Element types. Compute is always F32; BF16 and F16 exist as storage formats
 * (checkpoints) and are converted to F32 when loaded.
 */
public enum DType {
    F32(4), BF16(2), F16(2);

    private final int byteSize;

    DType(int byteSize) { this.byteSize = byteSize; }

    public int byteSize() { return byteSize; }

    /** bfloat16 bits (low 16 bits of {@code bits}) to float: the upper half of an IEEE float. */
    public static float bf16ToF32(int bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** float to bfloat16 bits, rounding to nearest even; NaN stays NaN. */
    public static short f32ToBf16(float f) {
        int x = Float.floatToRawIntBits(f);
        if ((x & 0x7fffffff) > 0x7f800000) return (short) ((x >>> 16) | 0x0040);
        int rounding = 0x7fff + ((x >>> 16) & 1);
        return (short) ((x + rounding) >>> 16);
    }

    /** IEEE half (low 16 bits) to float. */
    public static float f16ToF32(int bits) {
        return Float.float16ToFloat((short) bits);
    }

    /** float to IEEE half, rounding to nearest even. */
    public static short f32ToF16(float f) {
        return Float.floatToFloat16(f);
    }

    /** The safetensors spelling ("F32", "BF16", "F16"). */
    public String safetensorsName() { return name(); }
}

package clp4j.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static clp4j.engine.io.RawSafetensors.f32;
import static clp4j.engine.io.RawSafetensors.file;
import static clp4j.engine.io.RawSafetensors.withLength;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every malformed file gives a {@link FormatException} naming the file and the problem, without allocating its claims. */
class SafetensorsMalformedTest {
    @TempDir Path dir;

    static byte[] valid() { return file("{" + f32("a", "[2]", 0, 8) + "}", 8); }

    static Stream<Arguments> cases() {
        byte[] ok = valid();
        String hdr = "{" + f32("a", "[2]", 0, 8) + "}";
        return Stream.of(
                arguments("empty file", new byte[0], "0 bytes, shorter than the 8-byte header length"),
                arguments("shorter than the prefix", new byte[] {1, 0, 0}, "3 bytes, shorter than the 8-byte"),
                arguments("header length past the end", withLength(500, hdr.getBytes(StandardCharsets.UTF_8), 8), "header length 500 runs past the end"),
                arguments("huge header length", withLength(1L << 40, new byte[0], 0), "header length 1099511627776 exceeds the 100000000-byte limit"),
                arguments("header length with the top bit set", withLength(-1L, new byte[0], 0), "header length 18446744073709551615 exceeds"),
                arguments("truncated in the header", Arrays.copyOf(ok, 20), "runs past the end"),
                arguments("truncated in the data", Arrays.copyOf(ok, ok.length - 3), "past the end of the data section (5 bytes)"),
                arguments("zero header length", withLength(0, new byte[0], 8), "must start with '{' but starts with nothing"),
                arguments("header not an object", file("[1,2]", 0), "must start with '{' but starts with '['"),
                arguments("bad JSON", file("{\"a\":{\"dtype\":", 0), "invalid JSON at offset"),
                arguments("trailing garbage after the JSON", file(hdr + "x", 8), "after the JSON value"),
                arguments("invalid UTF-8", file(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'}, 0), "not valid UTF-8"),
                arguments("tensor not an object", file("{\"a\":5}", 0), "tensor \"a\" is a JSON integer, expected an object"),
                arguments("unknown dtype", file("{\"a\":{\"dtype\":\"F99\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "unknown dtype \"F99\""),
                arguments("dtype the engine refuses", file("{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8), "dtype I64, which the engine does not read"),
                arguments("dtype not a string", file("{\"a\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "dtype is a JSON integer"),
                arguments("absurd shape", file("{" + f32("a", "[1099511627776,1099511627776]", 0, 8) + "}", 8), "shape[0] = 1099511627776 is outside [0, 2147483647]"),
                arguments("shape overflowing a tensor", file("{" + f32("a", "[65536,65536]", 0, 8) + "}", 8), "more than 2147483647 elements"),
                arguments("shape beyond 64 bits", file("{" + f32("a", "[99999999999999999999999]", 0, 8) + "}", 8), "is outside [0, 2147483647]"),
                arguments("negative dimension", file("{" + f32("a", "[-2]", 0, 8) + "}", 8), "shape[0] = -2 is outside"),
                arguments("non-integer dimension", file("{" + f32("a", "[2.0]", 0, 8) + "}", 8), "shape[0] is 2.0 (a JSON number), expected a non-negative integer"),
                arguments("string dimension", file("{" + f32("a", "[\"2\"]", 0, 8) + "}", 8), "(a JSON string), expected a non-negative integer"),
                arguments("shape not an array", file("{" + f32("a", "2", 0, 8) + "}", 8), "shape is a JSON integer"),
                arguments("duplicate tensor names", file("{" + f32("a", "[1]", 0, 4) + "," + f32("a", "[1]", 4, 8) + "}", 8), "duplicate key \"a\""),
                arguments("missing data_offsets", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8), "has no \"data_offsets\" field"),
                arguments("missing dtype", file("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "has no \"dtype\" field"),
                arguments("unknown tensor field", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", 8), "unknown field \"x\""),
                arguments("three data offsets", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", 8), "data_offsets is an array of 3 values"),
                arguments("negative offset", file("{" + f32("a", "[2]", -8, 0) + "}", 8), "data_offsets[0] = -8 is not a non-negative 64-bit integer"),
                arguments("offset beyond 64 bits", file("{" + f32("a", "[2]", 0, 0).replace("[0,0]", "[0,18446744073709551616]") + "}", 8), "data_offsets[1] = 18446744073709551616"),
                arguments("fractional offset", file("{" + f32("a", "[2]", 0, 8).replace("[0,8]", "[0,8.0]") + "}", 8), "data_offsets[1] = 8.0 is not"),
                arguments("end before begin", file("{" + f32("a", "[0]", 8, 4) + "}", 8), "data_offsets [8, 4] with end before begin"),
                arguments("offsets past the data", file("{" + f32("a", "[4]", 0, 16) + "}", 8), "past the end of the data section (8 bytes)"),
                arguments("size not matching dtype and shape", file("{" + f32("a", "[3]", 0, 8) + "}", 8), "shape [3] of F32 needs 12 bytes but data_offsets [0, 8] span 8"),
                arguments("overlapping tensors", file("{" + f32("a", "[2]", 0, 8) + "," + f32("b", "[1]", 4, 8) + "}", 8), "tensors \"a\" [0, 8) and \"b\" [4, 8) overlap"),
                arguments("gap between tensors", file("{" + f32("a", "[1]", 0, 4) + "," + f32("b", "[1]", 8, 12) + "}", 12), "bytes [4, 8) of the data section belong to no tensor"),
                arguments("trailing data bytes", file(hdr, 12), "the tensors cover 8 bytes but the data section holds 12"),
                arguments("metadata not an object", file("{\"__metadata__\":[1]," + f32("a", "[2]", 0, 8) + "}", 8), "\"__metadata__\" is a JSON array"),
                arguments("metadata value not a string", file("{\"__metadata__\":{\"n\":1}," + f32("a", "[2]", 0, 8) + "}", 8), "__metadata__[\"n\"] is a JSON integer, but safetensors metadata values must be strings"),
                arguments("nesting too deep", file("{\"__metadata__\":" + "[".repeat(20) + "]".repeat(20) + "}", 0), "nesting deeper than 8"),
                arguments("empty tensor name", file("{" + f32("", "[2]", 0, 8) + "}", 8), "a tensor has an empty name"),
                arguments("NaN literal", file("{\"a\":NaN}", 0), "invalid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusesWithAClearMessage(String what, byte[] content, String expected) throws Exception {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, content);
        FormatException e = assertThrows(FormatException.class, () -> {
            try (SafetensorsFile sf = SafetensorsFile.open(f)) {
                for (String n : sf.tensors().keySet()) sf.readF32(n);
            }
        });
        assertTrue(e.getMessage().contains(f.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void thereAreAtLeastThirtyDistinctCases() {
        assertTrue(cases().count() >= 30);
        assertEquals(cases().count(), cases().map(a -> a.get()[0]).distinct().count());
    }

    @Test
    void theValidBaseFileLoads() throws Exception {
        Path f = dir.resolve("ok.safetensors");
        Files.write(f, valid());
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertEquals(2, sf.readF32("a").length);
        }
    }

    @Test
    void unknownTensorNameIsReportedWithTheFile() throws Exception {
        Path f = dir.resolve("ok.safetensors");
        Files.write(f, valid());
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            FormatException e = assertThrows(FormatException.class, () -> sf.readF32("nope"));
            assertTrue(e.getMessage().contains(f + " has no tensor \"nope\""), e.getMessage());
        }
    }
}

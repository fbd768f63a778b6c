package clp4j.engine.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentinelTextTest {

    private static String show(List<SentinelText.Segment> segments) {
        StringBuilder sb = new StringBuilder();
        for (SentinelText.Segment s : segments) sb.append(s.isSentinel() ? "#" + s.sentinel() : "[" + s.text() + "]");
        return sb.toString();
    }

    @Test
    void splitsAndStripsAroundSentinels() {
        assertEquals("[The]#0[walks in]#1[park]", show(SentinelText.split("The <extra_id_0> walks in <extra_id_1> park", 100)));
        assertEquals("#0", show(SentinelText.split("  <extra_id_0>  ", 100)));
        assertEquals("#5#6", show(SentinelText.split("<extra_id_5> \t <extra_id_6>", 100)));
        assertEquals("[a]#99[b]", show(SentinelText.split("a<extra_id_99>b", 100)));
        // whitespace away from sentinels is kept for SentencePiece to normalise
        assertEquals("[  a b  ]", show(SentinelText.split("  a b  ", 100)));
        assertEquals("[ x]#3[y ]", show(SentinelText.split(" x <extra_id_3> y ", 100)));
        assertEquals("", show(SentinelText.split("", 100)));
    }

    @Test
    void onlyExactSpellingsBelowTheCountAreSentinels() {
        assertEquals("[<extra_id_100> x]", show(SentinelText.split("<extra_id_100> x", 100)));
        assertEquals("[<extra_id_07>]", show(SentinelText.split("<extra_id_07>", 100)));
        assertEquals("[<extra_id_>]", show(SentinelText.split("<extra_id_>", 100)));
        assertEquals("[<extra_id_12345678901234>]", show(SentinelText.split("<extra_id_12345678901234>", 100)));
        assertEquals("[<extra_id_5>]", show(SentinelText.split("<extra_id_5>", 5)));
        assertEquals("[<extra_id_]#1[>]", show(SentinelText.split("<extra_id_<extra_id_1>>", 100)));
        assertEquals("[<EXTRA_ID_0>]", show(SentinelText.split("<EXTRA_ID_0>", 100)));
    }

    @Test
    void stripsWhatPythonCallsSpace() {
        // U+00A0, U+2007, U+202F and U+0085 are str.isspace() in Python but not Character.isWhitespace
        for (int cp : new int[] {' ', '\t', '\n', 0x0b, 0x0c, '\r', 0x1c, 0x1f, 0x85, 0xa0, 0x1680, 0x2007, 0x200a,
                0x2028, 0x2029, 0x202f, 0x205f, 0x3000}) {
            assertTrue(SentinelText.isPythonSpace(cp), Integer.toHexString(cp));
        }
        for (int cp : new int[] {'a', 0x200b, 0x180e, 0xfeff, 0x2581}) {
            assertFalse(SentinelText.isPythonSpace(cp), Integer.toHexString(cp));
        }
        assertEquals("[x]#1[y]", show(SentinelText.split("x\u00a0<extra_id_1>\u3000y", 100)));
    }

    @Test
    void rendersSentinels() {
        assertEquals("<extra_id_0>", SentinelText.render(0));
        assertEquals("<extra_id_42>", SentinelText.render(42));
    }
}

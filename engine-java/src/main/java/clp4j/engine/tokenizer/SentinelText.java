package clp4j.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text around the T5 sentinel tokens {@code <extra_id_N>} the way HF's slow T5 tokenizer
 * does: a sentinel matches only its exact spelling ({@code <extra_id_7>}, not {@code <extra_id_07>}
 * nor {@code <extra_id_100>} with 100 sentinels), whitespace on both sides of it is dropped (the
 * sentinels are added tokens with {@code lstrip=True, rstrip=True}, which use Python's
 * {@code str.isspace}), and text chunks that end up empty are left out.
 */
public final class SentinelText {

    private static final String OPEN = "<extra_id_";

    /** One piece of split text: either {@code text} (then {@code sentinel == -1}) or a sentinel number. */
    public record Segment(String text, int sentinel) {
        public boolean isSentinel() { return sentinel >= 0; }
    }

    private SentinelText() {}

    /** The text of sentinel {@code n}. */
    public static String render(int n) { return OPEN + n + ">"; }

    /** Splits {@code text} into text chunks and sentinels numbered below {@code sentinelCount}. */
    public static List<Segment> split(String text, int sentinelCount) {
        List<Segment> raw = new ArrayList<>();
        int chunkStart = 0;
        int from = 0;
        while (true) {
            int at = text.indexOf(OPEN, from);
            if (at < 0) break;
            int n = parseNumber(text, at + OPEN.length(), sentinelCount);
            if (n < 0) {
                from = at + 1;
                continue;
            }
            raw.add(new Segment(text.substring(chunkStart, at), -1));
            raw.add(new Segment(null, n));
            chunkStart = at + render(n).length();
            from = chunkStart;
        }
        raw.add(new Segment(text.substring(chunkStart), -1));

        List<Segment> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            Segment s = raw.get(i);
            if (s.isSentinel()) {
                out.add(s);
                continue;
            }
            String t = s.text();
            // raw alternates text, sentinel, text, ...: a text chunk has a sentinel on a side unless it is first/last
            if (i + 1 < raw.size()) t = stripTrailing(t);
            if (i > 0) t = stripLeading(t);
            if (!t.isEmpty()) out.add(new Segment(t, -1));
        }
        return out;
    }

    /** The sentinel number written at {@code pos} and closed by {@code >}, or -1 if there is none. */
    private static int parseNumber(String text, int pos, int sentinelCount) {
        int end = pos;
        while (end < text.length() && end - pos <= 9 && text.charAt(end) >= '0' && text.charAt(end) <= '9') end++;
        if (end == pos || end - pos > 9 || end >= text.length() || text.charAt(end) != '>') return -1;
        if (text.charAt(pos) == '0' && end - pos > 1) return -1; // "<extra_id_07>" is not a token
        int n = Integer.parseInt(text, pos, end, 10);
        return n < sentinelCount ? n : -1;
    }

    /** Python's {@code str.isspace} for one code point (Java's isWhitespace misses no-break spaces and U+0085). */
    static boolean isPythonSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    static String stripLeading(String s) {
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (!isPythonSpace(cp)) break;
            i += Character.charCount(cp);
        }
        return s.substring(i);
    }

    static String stripTrailing(String s) {
        int j = s.length();
        while (j > 0) {
            int cp = s.codePointBefore(j);
            if (!isPythonSpace(cp)) break;
            j -= Character.charCount(cp);
        }
        return s.substring(0, j);
    }
}

package clp4j.nativ.cuda;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameter lists of the kernels as their PTX declares them, in {@link LaunchArgs}' codes:
 * {@code 'l'} 64-bit (pointers, long long), {@code 'i'} 32-bit integer, {@code 'f'} float, and a
 * struct as its byte size. Every launch is checked against these, so a Java/CUDA mismatch is a clear
 * exception instead of garbage on the GPU.
 */
final class KernelParams {
    /** Struct parameters are coded as STRUCT + their size in bytes. */
    static final int STRUCT = 1000;
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param\\s+(?:\\.align\\s+\\d+\\s+)?\\.(\\w+)\\s+\\w+(?:\\[(\\d+)\\])?");

    private KernelParams() { }

    /** Kernel name -> parameter codes, for every .entry of a PTX text. */
    static Map<String, int[]> parse(String ptx) {
        Map<String, int[]> out = new HashMap<>();
        Matcher e = ENTRY.matcher(ptx);
        while (e.find()) {
            List<Integer> codes = new ArrayList<>();
            Matcher p = PARAM.matcher(e.group(2));
            while (p.find()) {
                String type = p.group(1);
                if (p.group(2) != null) codes.add(STRUCT + Integer.parseInt(p.group(2)));
                else if (type.equals("f32")) codes.add((int) 'f');
                else if (type.endsWith("64")) codes.add((int) 'l');
                else if (type.endsWith("32")) codes.add((int) 'i');
                else throw new IllegalStateException("kernel " + e.group(1) + ": unsupported PTX parameter type ." + type);
            }
            out.put(e.group(1), codes.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /** Human-readable codes, e.g. "[l, i, f, struct136]" (structs coded STRUCT + size). */
    static String describe(int[] codes, int count) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            if (i > 0) sb.append(", ");
            int c = codes[i];
            sb.append(c >= STRUCT ? "struct" + (c - STRUCT) : String.valueOf((char) c));
        }
        return sb.append(']').toString();
    }

    /** Throws when the arguments built for {@code kernel} do not match its PTX parameters. */
    static void check(String kernel, int[] expected, LaunchArgs args) {
        if (!args.matches(expected)) {
            throw new IllegalStateException("kernel " + kernel + " takes " + describe(expected, expected.length)
                    + " but was given " + describe(args.codes(), args.count()) + "; the Java launch and the .cu source disagree");
        }
    }
}

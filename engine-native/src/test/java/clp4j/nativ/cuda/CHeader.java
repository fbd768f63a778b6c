package clp4j.nativ.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a C header reader to check FFM descriptors: function prototypes (first
 * declaration wins), {@code #define a b} renames (cuda.h's _v2 macros), typedefs and enum
 * constants, with every type reduced to the ABI class FFM needs (pointer, 32- or 64-bit integer, float).
 */
final class CHeader {
    enum Kind { POINTER, INT32, INT64, FLOAT, VOID }

    record Prototype(String name, String returnType, List<String> params) { }

    private static final Pattern PROTO = Pattern.compile(
            "([A-Za-z_][\\w\\s*]*?)\\b(?:CUDAAPI|CUBLASWINAPI)\\s+(\\w+)\\s*\\(([^;{}()]*)\\)\\s*;");
    private static final Pattern DEFINE = Pattern.compile(
            "(?m)^\\s*#\\s*define\\s+(\\w+)\\s+(?:__CUDA_API_PTDS|__CUDA_API_PTSZ)?\\(?\\s*(\\w+)\\s*\\)?\\s*$");
    private static final Pattern ENUM_TYPEDEF = Pattern.compile("typedef\\s+enum\\s*(\\w*)\\s*\\{([^}]*)\\}\\s*(\\w+)\\s*;");
    private static final Pattern ENUM_DECL = Pattern.compile("\\benum\\s+(\\w+)\\s*\\{([^}]*)\\}");
    private static final Pattern TYPEDEF = Pattern.compile("typedef\\s+([\\w\\s*]+?)\\s*\\b(\\w+)\\s*;");
    private static final Set<String> QUALIFIERS = Set.of("const", "volatile", "struct", "enum", "signed");

    private final List<Prototype> prototypes = new ArrayList<>();
    private final Map<String, String> renames = new HashMap<>();
    private final Map<String, String> typedefs = new HashMap<>();
    private final Set<String> enums = new HashSet<>();
    private final Map<String, String> enumValues = new HashMap<>();

    CHeader(List<Path> files) throws IOException {
        for (Path f : files) {
            String raw = Files.readString(f);
            Matcher d = DEFINE.matcher(raw);
            while (d.find()) renames.putIfAbsent(d.group(1), d.group(2));
            String text = raw.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ")
                    .replaceAll("(?m)^\\s*#.*$", " ").replaceAll("\\s+", " ");
            readEnums(ENUM_TYPEDEF.matcher(text), 3, 2, 1);
            readEnums(ENUM_DECL.matcher(text), 1, 2, 0);
            Matcher t = TYPEDEF.matcher(text);
            while (t.find()) typedefs.putIfAbsent(t.group(2), t.group(1).strip());
            Matcher p = PROTO.matcher(text);
            while (p.find()) {
                String params = p.group(3).strip();
                List<String> list = params.isEmpty() || params.equals("void") ? List.of()
                        : List.of(params.split("\\s*,\\s*"));
                prototypes.add(new Prototype(p.group(2), p.group(1).strip(), list));
            }
        }
    }

    private void readEnums(Matcher m, int nameGroup, int bodyGroup, int tagGroup) {
        while (m.find()) {
            enums.add(m.group(nameGroup));
            if (tagGroup > 0 && !m.group(tagGroup).isEmpty()) enums.add(m.group(tagGroup));
            for (String item : m.group(bodyGroup).split(",")) {
                String[] kv = item.split("=");
                if (kv.length == 2) enumValues.putIfAbsent(kv[0].strip(), kv[1].strip());
            }
        }
    }

    /** The first prototype exported as {@code symbol}: declared under that name or renamed to it by a macro. */
    Prototype find(String symbol) {
        for (Prototype p : prototypes) {
            if (p.name().equals(symbol) || symbol.equals(renames.get(p.name()))) return p;
        }
        return null;
    }

    String enumValue(String constant) { return enumValues.get(constant); }

    /** The ABI class of a parameter declaration ("const void *image") or a return type. */
    Kind kindOf(String decl, boolean hasName) {
        if (decl.contains("*") || decl.contains("[")) return Kind.POINTER;
        List<String> words = new ArrayList<>();
        for (String w : decl.strip().split("\\s+")) if (!QUALIFIERS.contains(w) && !w.isEmpty()) words.add(w);
        if (hasName && words.size() > 1) words.remove(words.size() - 1);
        String type = String.join(" ", words);
        switch (type) {
            case "int", "unsigned int", "unsigned": return Kind.INT32;
            case "long long", "long long int", "unsigned long long", "unsigned long long int", "size_t", "long",
                 "unsigned long", "int64_t", "uint64_t": return Kind.INT64;
            case "float": return Kind.FLOAT;
            case "void": return Kind.VOID;
            default:
        }
        if (words.size() == 1) {
            if (enums.contains(type)) return Kind.INT32;
            String def = typedefs.get(type);
            if (def != null) {
                if (def.startsWith("enum ") && enums.contains(def.substring(5).strip())) return Kind.INT32;
                return kindOf(def, false);
            }
        }
        throw new IllegalStateException("cannot classify C type '" + type + "' (from '" + decl + "')");
    }
}

#!/usr/bin/python3
"""Builds spm_fixture.tsv: T5 token ids from the independent reference tools
spm_encode / spm_decode (Debian package `sentencepiece`) for SentencePieceTokenizerFixtureTest.

Run from the repository root:
    /usr/bin/python3 engine-native/src/test/resources/tokenizer/make_fixture.py ../shared/data

Python only assembles strings and calls the tools; every id comes from spm_encode.
Output lines: kind <TAB> text <TAB> ids <TAB> decoded, text and decoded escaped
(backslash -> \\\\, tab -> \\t, newline -> \\n, CR -> \\r), ids space-separated with the
HF `</s>` (1) appended. Kinds:
  plain    - the string went to spm_encode as one line; `decoded` is spm_decode of its ids.
  newline  - the string holds "\\n", which spm_encode cannot take (it reads one line per
             input), so it was encoded with each "\\n" replaced by " ": the T5 model's
             normaliser (nmt_nfkc) maps U+000A to a space, as the plain rows show it does for
             tabs. `decoded` is "-" (not checked).
  sentinel - the string holds <extra_id_N>; ids follow HF's slow T5Tokenizer, re-implemented
             here independently: split at exact <extra_id_0..99>, strip whitespace next to each
             sentinel (Python str.strip), drop empty chunks, spm_encode each chunk, sentinel
             id 32099 - N. `decoded` is "-".
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../../../shared/data")
MODEL = os.path.join(DATA, "t5-spiece/spiece.model")
OUT = os.path.join(HERE, "spm_fixture.tsv")

HAND = [
    "", " ", "   ", "\t", "Hello world", "Hello world!", "hello, world.", "HELLO WORLD",
    " leading space", "trailing space ", "  both sides  ", "many     inner      spaces",
    "tab\tseparated\tvalues", "mixed \t \t whitespace", "a", "I", "x y z",
    "caf\u00e9", "na\u00efve r\u00e9sum\u00e9", "Stra\u00dfe", "\u00c5ngstr\u00f6m", "Cr\u00e8me br\u00fbl\u00e9e",
    "e\u0301 combining acute", "\u00e9 precomposed", "Se\u00f1or Pe\u00f1a", "\u0141\u00f3d\u017a", "\u0130stanbul",
    "\u4e2d\u6587", "\u6211\u7231\u5317\u4eac\u5929\u5b89\u95e8", "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8",
    "\ud55c\uad6d\uc5b4 \ubb38\uc7a5", "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440!",
    "\u041c\u043e\u0441\u043a\u0432\u0430 \u2014 \u0441\u0442\u043e\u043b\u0438\u0446\u0430 \u0420\u043e\u0441\u0441\u0438\u0438",
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645", "\u05e9\u05dc\u05d5\u05dd",
    "\u0928\u092e\u0938\u094d\u0924\u0947", "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35", "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac",
    "\U0001F600", "I love it \U0001F60D\U0001F60D", "\U0001F44D\U0001F3FD thumbs", "family \U0001F468\u200D\U0001F469\u200D\U0001F467",
    "flag \U0001F1EC\U0001F1E7", "math \U0001D400\U0001D401", "\u2603 snowman", "\u2764\ufe0f heart",
    "0", "7", "42", "1234567890", "3.14159", "-273.15", "1,000,000", "1e-9", "50%", "$100", "\u00a3250m",
    "\u20ac3.5bn", "10:30am", "2017-06-23", "+44 (0)20 7946 0958", "v2.0.1", "0x1F", "007", "1st 2nd 3rd 4th",
    "!", "?!", "...", "\u2026", "--", "\u2014", "(parenthesised)", "[brackets]", "{braces}", "<angle>",
    "\"double quotes\"", "'single quotes'", "\u201ccurly quotes\u201d", "\u2018curly single\u2019",
    "semi;colon:colon", "a/b\\c", "under_score", "hyphen-ated", "#hashtag", "@mention", "a&b", "*stars*",
    "~tilde~", "`backtick`", "^caret", "|pipe|", "=equals=", "+plus+",
    "https://www.bbc.co.uk/news/uk-politics-40371398", "http://example.com/path?q=1&r=two#frag",
    "email me at someone@example.org", "www.example.com", "ftp://files.example.net/pub/file.tar.gz",
    "a" * 300, "supercalifragilisticexpialidocious" * 4, "Pneumonoultramicroscopicsilicovolcanoconiosis",
    "0123456789" * 20, "deadbeefcafebabe" * 8, "x" * 64 + " " + "y" * 64,
    "\uff28\uff45\uff4c\uff4c\uff4f fullwidth", "\ufb01 ligature fi", "\u2460 circled one", "\u00bd half",
    "x\u00b2 squared", "\u2122 trademark", "no\u00a0break\u00a0space", "ideographic\u3000space",
    "thin\u2009space", "zero\u200bwidth", "soft\u00adhyphen", "bell\u0007char", "vertical\u000btab",
    "form\u000cfeed", "del\u007fchar", "\u00bfQu\u00e9 tal?", "\u00a1Hola!", "<pad>", "</s>", "<unk>",
    "<s>", "\u2581", "\u2581\u2581word", "ALL CAPS SENTENCE HERE", "camelCaseIdentifier", "snake_case_identifier",
    "The quick brown fox jumps over the lazy dog.", "It's a dog's life, isn't it?",
    "Mr. Smith went to Washington D.C. in the U.S.A.", "Prof. Dr. J. R. R. Tolkien", "e.g. i.e. etc.",
    "summarize: The cat sat on the mat.", "translate English to German: That is good.",
    "cola sentence: The course is jumping well.", "question: Who? context: Nobody.",
]

SENTINEL = [
    "<extra_id_0>", "The <extra_id_0> walks in <extra_id_1> park",
    "<extra_id_0> cute dog <extra_id_1> the <extra_id_2>", "a<extra_id_0>b", "a <extra_id_99> b",
    "<extra_id_100> is not a sentinel", "<extra_id_07> neither", "<extra_id_> nor this",
    "<extra_id_5><extra_id_6>", "  <extra_id_3>  ", "x\t<extra_id_1>\u00a0y", "<extra_id_<extra_id_1>>",
    "caf\u00e9<extra_id_2>\u4e2d\u6587", "<EXTRA_ID_0> case matters", "<extra_id_42>42<extra_id_43>",
]

NEWLINE_LINES = 40  # XSum documents cut to their first lines


def xsum_rows():
    rows = []
    for name in ("validation.jsonl", "train.jsonl"):
        with open(os.path.join(DATA, "xsum-sample", name), encoding="utf-8") as f:
            rows += [json.loads(line) for line in f]
    return rows


def nli_texts(per_file):
    out = []
    for name in ("snli.tsv", "mnli_matched.tsv", "mnli_mismatched.tsv"):
        with open(os.path.join(DATA, "nli", name), encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f]
        for row in rows[:per_file]:
            out += row[1:3]
    return out


def spm(tool, fmt, lines):
    text = "".join(line + "\n" for line in lines)
    res = subprocess.run([tool, "--model=" + MODEL, fmt], input=text.encode("utf-8"),
                         stdout=subprocess.PIPE, check=True)
    out = res.stdout.decode("utf-8").split("\n")
    assert out[-1] == "" and len(out) - 1 == len(lines), (tool, len(out), len(lines))
    return out[:-1]


def encode(lines):
    for line in lines:
        assert "\n" not in line and "\r" not in line and "\0" not in line, repr(line)
    return [[int(t) for t in ids.split()] for ids in spm("spm_encode", "--output_format=id", lines)]


def split_sentinels(text):
    parts = re.split(r"<extra_id_(0|[1-9][0-9]?)>", text)  # text, number, text, number, ..., text
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 1:
            out.append(int(part))
            continue
        if i + 1 < len(parts):
            part = part.rstrip()
        if i > 0:
            part = part.lstrip()
        if part:
            out.append(part)
    return out


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def main():
    xsum = xsum_rows()
    plain = list(HAND)
    plain += [r["summary"] for r in xsum[:80]]
    plain += [r["document"].split("\n")[0] for r in xsum[80:110]]
    plain += nli_texts(10)
    plain = list(dict.fromkeys(plain))  # NLI premises repeat; keep the first of each
    newline = ["\n".join(r["document"].split("\n")[:4]) for r in xsum[110:110 + NEWLINE_LINES // 2]]
    newline += ["line one\nline two", "\n", "trailing newline\n", "\nleading newline", "a\n\nb", "tab\t\nnewline"]

    rows = []
    plain_ids = encode(plain)
    decoded = spm("spm_decode", "--input_format=id", [" ".join(map(str, ids)) for ids in plain_ids])
    for s, ids, d in zip(plain, plain_ids, decoded):
        rows.append(("plain", s, ids + [1], esc(d)))
    for s, ids in zip(newline, encode([s.replace("\n", " ") for s in newline])):
        rows.append(("newline", s, ids + [1], "-"))
    for s in SENTINEL:
        chunks = split_sentinels(s)
        texts = [c for c in chunks if isinstance(c, str)]
        encoded = iter(encode(texts))
        ids = []
        for c in chunks:
            ids += [32099 - c] if isinstance(c, int) else next(encoded)
        rows.append(("sentinel", s, ids + [1], "-"))

    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("# made by make_fixture.py from spm_encode/spm_decode (sentencepiece %s); do not edit\n"
                % subprocess.run(["spm_encode", "--version"], stdout=subprocess.PIPE).stdout.decode().split()[-1])
        for kind, s, ids, d in rows:
            f.write("%s\t%s\t%s\t%s\n" % (kind, esc(s), " ".join(map(str, ids)), d))
    print("wrote %d rows (%d plain, %d newline, %d sentinel) to %s"
          % (len(rows), len(plain), len(newline), len(SENTINEL), OUT))


if __name__ == "__main__":
    main()

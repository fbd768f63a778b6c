package clp4j.clp.cli;

import clp4j.clp.sft.SftConfig;
import clp4j.clp.sft.SftConfigJson;
import clp4j.clp.sft.SftResult;
import clp4j.clp.sft.SftTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code clp4j sft}: supervised finetuning of T5 on XSum (see {@link SftTrainer}). */
final class SftCommand {
    static final String USAGE = """
            usage: clp4j sft [options]
              Supervised finetuning (teacher-forced cross-entropy, Adafactor) of T5 on XSum: the reference
              policy CLP starts from. With no options: a small random T5 v1.1-style model on the XSum sample
              in ../shared/data, a few minutes on 2 cores.
            options:
              --config FILE      JSON settings (fields: see SftConfig; unknown fields are errors)
              --out DIR          run folder for checkpoints and the final model (default runs/sft)
              --steps N          total optimizer steps
              --batch-size N     examples per step
              --checkpoint DIR   finetune this Hugging Face T5 checkpoint directory instead of the random model
              --resume           continue from the newest checkpoint in --out, exactly
              --backend NAME     engine backend (reference, vector, ...; default: the fastest available)
              --seed N           seed of initialisation, data order and dropout
              --help             this text
            exit codes: 0 done, 1 error (bad data, files, settings), 2 bad command line""";

    private SftCommand() { }

    /** Parsed command line. */
    record Options(Path config, Path out, Integer steps, Integer batchSize, Path checkpoint, boolean resume, String backend,
                   Long seed, boolean help) { }

    static Options parse(List<String> args) {
        Path config = null, out = Path.of("runs/sft"), checkpoint = null;
        Integer steps = null, batch = null;
        Long seed = null;
        String backend = null;
        boolean resume = false, help = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--help", "-h" -> help = true;
                case "--resume" -> resume = true;
                case "--config" -> config = Path.of(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--checkpoint" -> checkpoint = Path.of(value(args, ++i, a));
                case "--backend" -> backend = value(args, ++i, a);
                case "--steps" -> steps = (int) number(value(args, ++i, a), a, 1, Integer.MAX_VALUE);
                case "--batch-size" -> batch = (int) number(value(args, ++i, a), a, 1, Integer.MAX_VALUE);
                case "--seed" -> seed = number(value(args, ++i, a), a, Long.MIN_VALUE, Long.MAX_VALUE);
                default -> throw new UsageException(a.startsWith("-") ? "unknown option " + a : "unexpected argument '" + a + "'");
            }
        }
        return new Options(config, out, steps, batch, checkpoint, resume, backend, seed, help);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) throw new UsageException(option + " needs a value");
        return args.get(i);
    }

    private static long number(String v, String option, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs an integer, got '" + v + "'");
        }
        if (n < min || n > max) throw new UsageException(option + " must be at least " + min + ", got " + n);
        return n;
    }

    /** The settings: defaults, then the config file, then the command line's options. */
    static SftConfig config(Options o) throws IOException {
        SftConfig.Builder b = o.config() != null ? SftConfigJson.read(o.config()) : SftConfig.builder();
        if (o.steps() != null) b.steps = o.steps();
        if (o.batchSize() != null) b.batchSize = o.batchSize();
        if (o.checkpoint() != null) b.checkpoint = o.checkpoint();
        if (o.backend() != null) b.backend = o.backend();
        if (o.seed() != null) b.seed = o.seed();
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((o.config() != null ? o.config() + ": " : "") + e.getMessage(), e);
        }
    }

    static int run(List<String> args, PrintStream out) throws IOException {
        Options o = parse(args);
        if (o.help()) {
            out.println(USAGE);
            return 0;
        }
        SftResult r = new SftTrainer(config(o), o.out(), out).run(o.resume());
        out.printf(Locale.ROOT, "done: %d steps (%d in this run, %s), first/last training loss %.4f/%.4f, validation loss %.4f%n",
                r.steps(), r.stepsThisRun(), clock(r.seconds()), r.firstLoss(), r.lastLoss(), r.validationLoss());
        return 0;
    }

    private static String clock(double s) {
        long t = Math.round(s);
        return String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }
}

package clp4j.clp.sft;

import clp4j.engine.io.AtomicFiles;
import clp4j.engine.io.HfCheckpoint;
import clp4j.engine.optim.Optimizer;
import clp4j.engine.optim.OptimizerCheckpoint;
import clp4j.engine.t5.T5Parameters;
import clp4j.engine.tensor.DType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints of a run under {@code OUT/checkpoints/step-NNNNNNNN/}: {@code model/} (an HF checkpoint
 * directory in F32, with spiece.model), {@code optimizer.safetensors} ({@link OptimizerCheckpoint}) and
 * {@link TrainerState#FILE}. Each is written into a hidden temporary folder and renamed into place,
 * so a crash leaves either a complete checkpoint or none; leftovers of a crash are removed by the next save.
 */
public final class SftCheckpoints {
    public static final String DIR = "checkpoints";
    public static final String MODEL_DIR = "model";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    private static final Pattern NAME = Pattern.compile("step-(\\d{8})");
    private static final String TMP_PREFIX = ".tmp-";

    private SftCheckpoints() { }

    public static Path root(Path out) { return out.resolve(DIR); }

    /** Writes the checkpoint of {@code state.step()} and keeps only the newest {@code keep}; returns its folder. */
    public static Path save(Path out, T5Parameters params, Path tokenizer, Optimizer optimizer, TrainerState state, int keep)
            throws IOException {
        Path root = root(out);
        Files.createDirectories(root);
        removeLeftovers(root);
        Path target = root.resolve(String.format("step-%08d", state.step()));
        if (Files.isDirectory(target)) return target; // this step was saved before (a resumed run that had already finished)
        Path tmp = root.resolve(TMP_PREFIX + target.getFileName() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.createDirectory(tmp);
        HfCheckpoint.save(tmp.resolve(MODEL_DIR), params.config(), params.asMap(), DType.F32, tokenizer);
        OptimizerCheckpoint.save(optimizer, tmp.resolve(OPTIMIZER_FILE));
        AtomicFiles.writeString(tmp.resolve(TrainerState.FILE), state.toJson());
        publish(tmp, target);
        List<Path> all = list(root);
        for (int i = 0; i < all.size() - keep; i++) deleteTree(all.get(i));
        return target;
    }

    /** The newest complete checkpoint of {@code out}, if any. */
    public static Optional<Path> latest(Path out) throws IOException {
        Path root = root(out);
        if (!Files.isDirectory(root)) return Optional.empty();
        List<Path> all = list(root);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /** Complete checkpoints, oldest first (a folder without its trainer state is not one). */
    static List<Path> list(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve(TrainerState.FILE)))
                    .sorted(Comparator.comparingLong(SftCheckpoints::stepOf)).toList();
        }
    }

    static long stepOf(Path checkpoint) {
        Matcher m = NAME.matcher(checkpoint.getFileName().toString());
        if (!m.matches()) throw new IllegalArgumentException(checkpoint + " is not a step-NNNNNNNN checkpoint folder");
        return Long.parseLong(m.group(1));
    }

    /**
     * Renames the finished folder {@code tmp} to {@code target} atomically (same parent folder); an
     * existing {@code target} is first moved aside, then deleted, so a reader never sees a mix.
     */
    public static void publish(Path tmp, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling(TMP_PREFIX + "old-" + target.getFileName() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            move(target, old);
        }
        move(tmp, target);
        fsync(target.getParent());
        if (old != null) deleteTree(old);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot atomically rename " + from + " to " + to + "; write the run (--out) to a local disk", e);
        }
    }

    /** A hidden temporary folder beside {@code target} for {@link #publish}. */
    public static Path temporaryBeside(Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = target.toAbsolutePath().resolveSibling(TMP_PREFIX + target.getFileName() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        return Files.createDirectory(tmp);
    }

    private static void removeLeftovers(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(TMP_PREFIX)).toList()) deleteTree(p);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void fsync(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (UnsupportedOperationException ignored) {
            // some platforms cannot open a folder as a channel; the rename itself has happened
        }
    }
}

package clp4j.clp.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared data folder beside the repository ({@code ../shared/data} from the repository root: the
 * folder named by {@code -Dclp4j.home}, which {@code ./clp4j} sets, else the first folder at or above the
 * working directory that holds {@code .ci}): the XSum sample and the T5 vocabulary the built-in run uses.
 */
public final class SharedData {
    /** The system property naming the repository root. */
    public static final String HOME_PROPERTY = "clp4j.home";

    private SharedData() { }

    public static Path xsumTrain() { return file("xsum-sample/train.jsonl"); }
    public static Path xsumValidation() { return file("xsum-sample/validation.jsonl"); }
    public static Path t5Vocabulary() { return file("t5-spiece/spiece.model"); }

    /** {@code relative} inside the shared data folder; missing is an error saying where it was looked for. */
    public static Path file(String relative) {
        Path root = repositoryRoot();
        Path p = root.resolve("../shared/data").resolve(relative).normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("built-in data file " + p + " is missing; put the project's shared/ folder beside the "
                    + "repository (" + root + "), or name your own files in the config (train_file, validation_file, tokenizer)");
        }
        return p;
    }

    public static Path repositoryRoot() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path h = Path.of(home).toAbsolutePath();
            if (!Files.isDirectory(h.resolve(".ci"))) {
                throw new IllegalStateException("-D" + HOME_PROPERTY + "=" + home + " is not a clp4j repository (it has no .ci folder)");
            }
            return h;
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".ci"))) return dir;
        }
        throw new IllegalStateException("no clp4j repository (a folder holding .ci) at or above " + start
                + "; run from inside the repository or name the data files in the config");
    }
}

package clp4j.nativ.sentencepiece;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the T5 {@code spiece.model} in the shared data folder beside the repository (CI clones
 * the project with {@code ../shared} next to it) rather than keeping an 800 KB copy in git.
 * The repository root is the first folder above the working directory that holds {@code .ci}.
 */
final class SpieceModelLocation {

    private static final String RELATIVE = "data/t5-spiece/spiece.model";

    private SpieceModelLocation() {}

    static Path spieceModel() {
        Path root = repositoryRoot();
        for (Path candidate : new Path[] {root.resolve("../shared").resolve(RELATIVE), root.resolve("shared").resolve(RELATIVE)}) {
            if (Files.isRegularFile(candidate)) return candidate.normalize();
        }
        throw new IllegalStateException("the T5 vocabulary is missing: expected " + root.resolve("../shared").resolve(RELATIVE).normalize()
                + " (the shared data folder beside the repository); put a copy of shared/ there");
    }

    static Path repositoryRoot() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".ci"))) return dir;
        }
        throw new IllegalStateException("no folder holding .ci above " + start + ": run the tests inside the clp4j repository");
    }
}

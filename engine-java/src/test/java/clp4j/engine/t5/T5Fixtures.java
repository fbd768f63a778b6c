package clp4j.engine.t5;

import clp4j.engine.backend.Backend;
import clp4j.engine.io.HfCheckpoint;
import clp4j.engine.io.SafetensorsFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The golden fixtures made by {@code src/test/resources/t5/make_fixtures.py}. Public so that other
 * modules (engine-native's GPU tests, through this module's test-jar) check their backends on them.
 */
public final class T5Fixtures {
    private T5Fixtures() { }

    /** Every fixture file, relative to {@code /t5}: copied out when the resources sit inside a jar. */
    private static final String[] FILES = {"buckets.safetensors",
            "v1_0/config.json", "v1_0/model.safetensors", "v1_0/golden.safetensors",
            "v1_1/config.json", "v1_1/model.safetensors", "v1_1/golden.safetensors"};

    private static Path dir;

    /** The fixture directory: the resource folder itself, or (from a test-jar) a temporary copy, since readers need real files. */
    public static synchronized Path dir() {
        if (dir != null) return dir;
        URL url = T5Fixtures.class.getResource("/t5/buckets.safetensors");
        if (url == null) throw new IllegalStateException("/t5/buckets.safetensors is not on the class path: add engine-java's test resources (or its test-jar)");
        try {
            dir = "file".equals(url.getProtocol()) ? Path.of(url.toURI()).getParent() : copyOut();
            return dir;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("fixture URL " + url, e);
        } catch (IOException e) {
            throw new UncheckedIOException("copying the T5 fixtures out of " + url, e);
        }
    }

    private static Path copyOut() throws IOException {
        Path tmp = Files.createTempDirectory("clp4j-t5-fixtures");
        // deleteOnExit runs in reverse order of registration: folders first here, so they go last
        for (String sub : new String[] {"", "v1_0", "v1_1"}) tmp.resolve(sub).toFile().deleteOnExit();
        for (String f : FILES) {
            Path target = tmp.resolve(f);
            Files.createDirectories(target.getParent());
            try (InputStream in = T5Fixtures.class.getResourceAsStream("/t5/" + f)) {
                if (in == null) throw new IOException("/t5/" + f + " is missing from the test resources");
                Files.copy(in, target);
            }
            target.toFile().deleteOnExit();
        }
        return tmp;
    }

    /** The model's checkpoint directory (config.json + model.safetensors) loaded on {@code backend}, as leaves that take gradients. */
    public static T5Parameters parameters(String model, Backend backend) throws IOException {
        HfCheckpoint ckpt = HfCheckpoint.load(dir().resolve(model), backend);
        return T5Parameters.of(ckpt.config(), ckpt.params()).requiresGrad(true);
    }

    public static SafetensorsFile golden(String model) throws IOException {
        return SafetensorsFile.open(dir().resolve(model).resolve("golden.safetensors"));
    }

    public static int[] ints(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Math.round(values[i]);
        return out;
    }
}

package clp4j.engine.t5;

import clp4j.engine.backend.Backend;
import clp4j.engine.io.HfCheckpoint;
import clp4j.engine.io.SafetensorsFile;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The golden fixtures made by {@code src/test/resources/t5/make_fixtures.py}. */
final class T5Fixtures {
    private T5Fixtures() { }

    static Path dir() {
        try {
            return Path.of(T5Fixtures.class.getResource("/t5/buckets.safetensors").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The model's checkpoint directory (config.json + model.safetensors) loaded on {@code backend}, as leaves that take gradients. */
    static T5Parameters parameters(String model, Backend backend) throws IOException {
        HfCheckpoint ckpt = HfCheckpoint.load(dir().resolve(model), backend);
        return T5Parameters.of(ckpt.config(), ckpt.params()).requiresGrad(true);
    }

    static SafetensorsFile golden(String model) throws IOException {
        return SafetensorsFile.open(dir().resolve(model).resolve("golden.safetensors"));
    }

    static int[] ints(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Math.round(values[i]);
        return out;
    }
}

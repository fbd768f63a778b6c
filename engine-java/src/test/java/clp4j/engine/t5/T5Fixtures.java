package clp4j.engine.t5;

import clp4j.engine.backend.Backend;
import clp4j.engine.io.SafetensorsFile;
import clp4j.engine.tensor.Tensor;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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

    static T5Config config(String model) throws IOException {
        return clp4j.engine.io.HfConfig.read(dir().resolve(model).resolve("config.json")).t5();
    }

    /** The model's weights on {@code backend}, as leaves that take gradients. */
    static T5Parameters parameters(String model, Backend backend) throws IOException {
        T5Config c = config(model);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(dir().resolve(model).resolve("model.safetensors"))) {
            for (String name : f.tensors().keySet()) tensors.put(name, f.read(name, backend));
        }
        return T5Parameters.of(c, tensors).requiresGrad(true);
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

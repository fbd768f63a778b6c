package clp4j.nativ.cuda;

import clp4j.kernels.KernelPtx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads every PTX module of the kernels jar and looks kernels up by their extern "C" name. */
final class CudaKernels implements AutoCloseable {
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(");

    private final List<CudaModule> modules = new ArrayList<>();
    private final Map<String, CudaFunction> functions = new HashMap<>();
    private final Map<String, int[]> params = new HashMap<>();

    CudaKernels(CudaDriver cu) {
        for (String name : KernelPtx.modules()) {
            byte[] ptx = KernelPtx.ptx(name);
            CudaModule module = new CudaModule(cu, name, ptx);
            modules.add(module);
            String text = new String(ptx, 0, ptx.length - 1, java.nio.charset.StandardCharsets.US_ASCII);
            Matcher m = ENTRY.matcher(text);
            while (m.find()) functions.put(m.group(1), module.function(m.group(1)));
            params.putAll(KernelParams.parse(text));
        }
    }

    CudaFunction get(String kernel) {
        CudaFunction f = functions.get(kernel);
        if (f == null) {
            throw new IllegalStateException("kernel " + kernel + " is in none of the PTX modules " + KernelPtx.modules()
                    + "; the kernels jar is older than engine-native (rebuild both)");
        }
        return f;
    }

    /** The kernel's PTX parameter codes (see {@link KernelParams}). */
    int[] params(String kernel) {
        get(kernel);
        return params.get(kernel);
    }

    @Override
    public void close() {
        for (CudaModule m : modules) m.close();
        modules.clear();
        functions.clear();
    }
}

package clp4j.nativ.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One C function bound through FFM: its exported symbol (the real one, e.g. {@code cuMemAlloc_v2},
 * not the header's macro name), the descriptor of its prototype, and older symbols to fall back
 * to when a driver predates the preferred one. Kept as data so that a test can check every
 * descriptor against the installed headers.
 */
public record NativeSignature(String symbol, FunctionDescriptor descriptor, List<String> fallbacks) {

    public static NativeSignature of(String symbol, FunctionDescriptor descriptor, String... fallbacks) {
        return new NativeSignature(symbol, descriptor, List.of(fallbacks));
    }

    /** A downcall handle for the first of {@code symbol, fallbacks...} that {@code lib} exports. */
    public MethodHandle bind(SymbolLookup lib, String libName) {
        List<String> tried = new ArrayList<>();
        tried.add(symbol);
        tried.addAll(fallbacks);
        for (String name : tried) {
            Optional<java.lang.foreign.MemorySegment> addr = lib.find(name);
            if (addr.isPresent()) return Linker.nativeLinker().downcallHandle(addr.get(), descriptor);
        }
        throw new CudaException(libName + " exports none of " + tried + "; the installed library is too old or"
                + " not the CUDA library clp4j expects (CUDA 12 or 13)", -1, "SYMBOL_NOT_FOUND");
    }
}

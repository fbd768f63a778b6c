package clp4j.nativ.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;

/** Whether the dynamic loader itself can open a libcublas soname (LD_LIBRARY_PATH, ld.so.cache). */
final class CublasOnLoaderPath {
    private CublasOnLoaderPath() { }

    static boolean present() {
        for (String so : CublasLocator.SONAMES) {
            try (Arena a = Arena.ofConfined()) {
                SymbolLookup.libraryLookup(so, a);
                return true;
            } catch (IllegalArgumentException e) {
                // not there; try the next major version
            }
        }
        return false;
    }
}

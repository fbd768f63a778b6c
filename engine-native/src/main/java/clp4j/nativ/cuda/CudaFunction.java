package clp4j.nativ.cuda;

import java.lang.foreign.MemorySegment;

/** A kernel of a loaded module (CUfunction) with its name for error messages. */
public record CudaFunction(String name, MemorySegment handle) { }

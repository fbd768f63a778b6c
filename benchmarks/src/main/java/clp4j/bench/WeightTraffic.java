package clp4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** GB/s of weight read by the memory-bound decoding benchmarks, reported by JMH as a rate. */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class WeightTraffic {
    public double gbps;

    @Setup(Level.Iteration)
    public void reset() {
        gbps = 0;
    }
}

package clp4j.nativ.cuda;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.TagFilter.includeTags;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs the gpu-tagged tests of engine-native without Maven (the GPU machine has none; see
 * scripts/gpu-check.sh), plus the header signature check (the GPU machine has cublas_api.h).
 * Prints one line per test; throws when a test fails or when every GPU test was skipped.
 */
public final class GpuTestMain {
    private GpuTestMain() { }

    public static void main(String[] args) {
        LauncherDiscoveryRequest gpu = request().selectors(selectPackage("clp4j.nativ")).filters(includeTags("gpu")).build();
        LauncherDiscoveryRequest headers = request().selectors(selectClass(CudaHeaderSignaturesTest.class)).build();
        Launcher launcher = LauncherFactory.create();
        TestExecutionListener lines = new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                if (id.isTest()) System.out.println("SKIP " + id.getDisplayName() + ": " + reason);
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult r) {
                if (!id.isTest() && r.getStatus() == TestExecutionResult.Status.SUCCESSFUL) return;
                String what = id.getLegacyReportingName() + " " + id.getDisplayName();
                switch (r.getStatus()) {
                    case SUCCESSFUL -> System.out.println("PASS " + what);
                    case ABORTED -> System.out.println("SKIP " + what + ": " + r.getThrowable().map(Throwable::getMessage).orElse(""));
                    case FAILED -> System.out.println("FAIL " + what + ": " + r.getThrowable().map(Throwable::toString).orElse(""));
                }
            }
        };
        SummaryGeneratingListener gpuSummary = new SummaryGeneratingListener(), headerSummary = new SummaryGeneratingListener();
        launcher.execute(gpu, gpuSummary, lines);
        launcher.execute(headers, headerSummary, lines);
        PrintWriter out = new PrintWriter(System.out, true);
        TestExecutionSummary s = gpuSummary.getSummary(), h = headerSummary.getSummary();
        s.printTo(out);
        s.printFailuresTo(out, 30);
        h.printTo(out);
        h.printFailuresTo(out, 30);
        long failed = s.getTotalFailureCount() + h.getTotalFailureCount();
        if (failed > 0) throw new AssertionError(failed + " test(s) failed");
        if (s.getTestsSucceededCount() == 0) throw new AssertionError("no GPU test ran (" + s.getTestsSkippedCount()
                + " skipped, " + s.getTestsAbortedCount() + " aborted): is there a GPU, driver and cuBLAS?");
    }
}

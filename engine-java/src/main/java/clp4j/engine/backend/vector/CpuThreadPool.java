package clp4j.engine.backend.vector;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The worker threads of one backend, created once and sized to the cores
 * ({@code -Dclp4j.threads}, default {@code availableProcessors()}). {@link #parallelFor} runs
 * task indices [0, n) on the workers and the calling thread together, handing them out
 * dynamically so that a core stolen by another process slows the op down less; a worker the OS
 * has not scheduled by the time the tasks run out is not waited for.
 *
 * <p>One parallel op runs at a time: a call made while another thread's op holds the pool,
 * or from inside a task (nested), runs its tasks serially on the calling thread instead of
 * waiting, so it can never deadlock.
 */
public final class CpuThreadPool implements AutoCloseable {
    public static final String PROPERTY = "clp4j.threads";
    /** Busy-wait iterations before parking: short ops hand over faster than a park/unpark round trip. */
    private static final int SPINS = 1 << 11;

    private final Thread[] workers;
    private final ReentrantLock owner = new ReentrantLock();
    private final AtomicInteger next = new AtomicInteger();
    /** Workers inside the current op, plus {@link #CLOSED} once the caller has run out of tasks. */
    private final AtomicInteger active = new AtomicInteger(CLOSED);
    private static final int CLOSED = 1 << 30;
    private volatile IntConsumer body;
    private volatile int count;
    private volatile long generation;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;

    public CpuThreadPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + threads + ": need at least 1 thread");
        }
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Thread(this::workerLoop, "clp4j-vector-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** A pool sized from {@code -Dclp4j.threads} (default: all available processors). */
    public static CpuThreadPool fromSettings() {
        String s = System.getProperty(PROPERTY);
        int n = Runtime.getRuntime().availableProcessors();
        if (s != null && !s.isBlank()) {
            try {
                n = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + s + " is not a thread count; give a positive integer", e);
            }
        }
        return new CpuThreadPool(n);
    }

    /** Threads that run tasks, the caller included. */
    public int threads() {
        return workers.length + 1;
    }

    /** Runs {@code body.accept(i)} for every i in [0, n), in parallel where possible; returns when all are done. */
    public void parallelFor(int n, IntConsumer body) {
        if (n <= 0) return;
        // inline when nested (inside a task, on a worker or on the caller that owns the pool) or when busy
        if (n == 1 || workers.length == 0 || closed || isWorker() || owner.isHeldByCurrentThread() || !owner.tryLock()) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        try {
            this.body = body;
            this.count = n;
            this.failure = null;
            this.caller = Thread.currentThread();
            next.set(0);
            active.set(0);
            generation++;
            for (Thread w : workers) LockSupport.unpark(w);
            runTasks();
            // no task is left to hand out: close the op to late workers (one that the OS has not
            // scheduled yet is not waited for) and wait only for those still running a task
            active.getAndAdd(CLOSED);
            int spins = 0;
            while (active.get() != CLOSED) {
                if (spins++ < SPINS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            this.body = null;
            Throwable f = failure;
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error er) throw er;
            if (f != null) throw new IllegalStateException("a parallel task failed", f);
        } finally {
            owner.unlock();
        }
    }

    /** A body over a half-open index range. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Splits [0, n) into contiguous ranges of at least {@code grain} indices and runs them in
     * parallel; a range of at most {@code grain} runs on the calling thread.
     */
    public void parallelRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int g = Math.max(1, grain);
        if (n <= g || workers.length == 0) {
            body.run(0, n);
            return;
        }
        int tasks = (int) Math.min((n + (long) g - 1) / g, 4L * threads());
        int chunk = (n + tasks - 1) / tasks;
        int count = (n + chunk - 1) / chunk;
        parallelFor(count, t -> body.run(t * chunk, Math.min(n, (t + 1) * chunk)));
    }

    private boolean isWorker() {
        Thread t = Thread.currentThread();
        for (Thread w : workers) if (w == t) return true;
        return false;
    }

    private void runTasks() {
        IntConsumer b = body;
        int n = count;
        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            try {
                b.accept(i);
            } catch (Throwable t) {
                failure = t;
                next.set(n);
            }
        }
    }

    private void workerLoop() {
        long seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (spins++ < SPINS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = generation;
            if (join()) {
                runTasks();
                if (active.decrementAndGet() == CLOSED) LockSupport.unpark(caller);
            }
        }
    }

    /** Enters the current op unless the caller has already closed it. */
    private boolean join() {
        while (true) {
            int s = active.get();
            if ((s & CLOSED) != 0) return false;
            if (active.compareAndSet(s, s + 1)) return true;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}

package clp4j.engine.optim;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.backend.Backend;
import clp4j.engine.tensor.Storage;
import clp4j.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What every optimizer here shares: the ordered parameter list, the step count, the schedule,
 * the per-parameter state tensors ("slots") and their exact save/restore. Subclasses say which
 * slots a parameter has and how one parameter is updated.
 *
 * @param <C> the hyper-parameter record
 */
abstract class AbstractOptimizer<C> implements Optimizer {

    /** One state tensor of a parameter: its name suffix (e.g. "v_row") and shape. */
    record Slot(String name, int[] shape) { }

    private final List<String> names;
    private final List<Tensor> params;
    private final Backend backend;
    private C config;
    private LearningRateSchedule schedule;
    private long step;
    private Tensor[][] slots;
    private boolean closed;

    AbstractOptimizer(Map<String, Tensor> parameters, C config, LearningRateSchedule schedule) {
        Objects.requireNonNull(parameters, "parameters");
        this.config = Objects.requireNonNull(config, "config");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        List<String> n = new ArrayList<>(parameters.size());
        List<Tensor> p = new ArrayList<>(parameters.size());
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            if (e.getValue() == null) throw new IllegalArgumentException("parameter '" + e.getKey() + "' is null");
            n.add(e.getKey());
            p.add(e.getValue());
        }
        this.names = Collections.unmodifiableList(n);
        this.params = Collections.unmodifiableList(p);
        if (p.isEmpty()) throw new IllegalArgumentException(kind() + " optimizer needs at least one parameter");
        this.backend = p.get(0).backend();
        for (int i = 1; i < p.size(); i++) {
            if (p.get(i).backend() != backend) {
                throw new IllegalArgumentException(kind() + " optimizer: parameter '" + n.get(i) + "' lives on backend "
                        + p.get(i).backend().name() + " but '" + n.get(0) + "' on " + backend.name()
                        + "; move the model to one backend first");
            }
        }
        rejectSharedStorage();
        this.slots = allocate(layouts(config));
    }

    // ------------------------------------------------------------------ subclass contract

    /** The state tensors parameter {@code name} of {@code shape} has under {@code config}; may reject the shape. */
    abstract Slot[] layout(String name, int[] shape, C config);

    /** {@code config} as exact strings (the schedule is added by this class). */
    abstract Map<String, String> hyperParameters(C config);

    /** Inverse of {@link #hyperParameters}. */
    abstract C parseHyperParameters(OptimizerState state);

    /** Called once per step before the parameters are updated. */
    abstract void beginStep(C config, float learningRate, long step);

    /** Updates one parameter in place; {@code state} holds its slots in {@link #layout} order. */
    abstract void update(String name, Tensor param, Tensor grad, Tensor[] state);

    // ------------------------------------------------------------------ Optimizer

    @Override
    public List<String> parameterNames() { return names; }

    @Override
    public Backend backend() { return backend; }

    final C config() { return config; }

    @Override
    public void step() {
        ensureOpen();
        beginStep(config, schedule.at(step), step);
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            Tensor g = p.grad();
            if (g == null) continue;
            if (g.numel() != p.numel()) {
                throw new IllegalStateException("gradient of parameter '" + names.get(i) + "' has shape "
                        + Arrays.toString(g.shape()) + " but the parameter has " + Arrays.toString(p.shape()));
            }
            update(names.get(i), p, g, slots[i]);
        }
        step++;
    }

    @Override
    public void zeroGrad() { Autodiff.zeroGrad(params); }

    @Override
    public long stepCount() { return step; }

    @Override
    public LearningRateSchedule schedule() { return schedule; }

    @Override
    public void setSchedule(LearningRateSchedule schedule) { this.schedule = Objects.requireNonNull(schedule, "schedule"); }

    @Override
    public OptimizerState state() {
        ensureOpen();
        Map<String, String> hyper = new LinkedHashMap<>(hyperParameters(config));
        hyper.put("schedule", schedule.spec());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<Slot[]> layouts = layouts(config);
        for (int i = 0; i < params.size(); i++) {
            Slot[] l = layouts.get(i);
            for (int j = 0; j < l.length; j++) tensors.put(tensorName(names.get(i), l[j]), slots[i][j]);
        }
        return new OptimizerState(kind(), step, hyper, tensors);
    }

    @Override
    public void loadState(OptimizerState state) {
        ensureOpen();
        if (!kind().equals(state.kind())) {
            throw new IllegalArgumentException("cannot restore " + state.kind() + " optimizer state into a " + kind()
                    + " optimizer; build a " + state.kind() + " optimizer instead");
        }
        C newConfig = parseHyperParameters(state);
        LearningRateSchedule newSchedule = LearningRateSchedule.parse(state.hyper("schedule"));
        List<Slot[]> layouts = layouts(newConfig);
        Set<String> expected = new LinkedHashSet<>();
        for (int i = 0; i < params.size(); i++) {
            for (Slot s : layouts.get(i)) {
                String tn = tensorName(names.get(i), s);
                expected.add(tn);
                Tensor src = state.tensors().get(tn);
                if (src == null) {
                    throw new IllegalArgumentException(kind() + " optimizer state has no tensor '" + tn + "' for parameter '"
                            + names.get(i) + "' of shape " + Arrays.toString(params.get(i).shape())
                            + ": it was saved for a model with other parameter names or shapes");
                }
                if (!Arrays.equals(src.shape(), s.shape())) {
                    throw new IllegalArgumentException(kind() + " optimizer state tensor '" + tn + "' has shape "
                            + Arrays.toString(src.shape()) + " but parameter '" + names.get(i) + "' of shape "
                            + Arrays.toString(params.get(i).shape()) + " needs " + Arrays.toString(s.shape())
                            + ": it was saved for a model with other parameter shapes");
                }
            }
        }
        for (String tn : state.tensors().keySet()) {
            if (!expected.contains(tn)) {
                throw new IllegalArgumentException(kind() + " optimizer state holds '" + tn
                        + "', which belongs to no parameter of this model (" + params.size()
                        + " parameters): it was saved for a model with other parameter names");
            }
        }
        // same layout (the usual case): copy into the live tensors, so a restore needs no second copy of the state
        boolean sameLayout = sameShapes(layouts(config), layouts);
        Tensor[][] target = sameLayout ? slots : allocate(layouts);
        for (int i = 0; i < params.size(); i++) {
            Slot[] l = layouts.get(i);
            for (int j = 0; j < l.length; j++) copyExact(state.tensors().get(tensorName(names.get(i), l[j])), target[i][j]);
        }
        if (!sameLayout) {
            release(slots);
            slots = target;
        }
        config = newConfig;
        schedule = newSchedule;
        step = state.step();
    }

    @Override
    public void close() {
        if (closed) return;
        release(slots);
        closed = true;
    }

    // ------------------------------------------------------------------ helpers

    private String tensorName(String param, Slot s) { return param + "." + kind() + "." + s.name(); }

    private List<Slot[]> layouts(C cfg) {
        List<Slot[]> out = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) out.add(layout(names.get(i), params.get(i).shape(), cfg));
        return out;
    }

    private Tensor[][] allocate(List<Slot[]> layouts) {
        Tensor[][] out = new Tensor[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            Slot[] l = layouts.get(i);
            out[i] = new Tensor[l.length];
            for (int j = 0; j < l.length; j++) out[i][j] = params.get(i).backend().zeros(l[j].shape());
        }
        return out;
    }

    private static boolean sameShapes(List<Slot[]> a, List<Slot[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).length != b.get(i).length) return false;
            for (int j = 0; j < a.get(i).length; j++) {
                if (!Arrays.equals(a.get(i)[j].shape(), b.get(i)[j].shape())) return false;
            }
        }
        return true;
    }

    private static void release(Tensor[][] t) {
        for (Tensor[] row : t) for (Tensor x : row) x.close();
    }

    /** Bit-exact copy, across backends if need be. */
    private static void copyExact(Tensor src, Tensor dst) {
        if (src == dst) return;
        if (src.backend() == dst.backend()) {
            dst.backend().copy(src, dst);
        } else {
            dst.backend().copyFromHost(src.toArray(), 0, dst);
        }
    }

    /** Two entries on overlapping storage (tied weights) would be updated twice per step. */
    private void rejectSharedStorage() {
        Map<Storage, List<Integer>> byStorage = new IdentityHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor t = params.get(i);
            List<Integer> same = byStorage.computeIfAbsent(t.storage(), k -> new ArrayList<>());
            for (int j : same) {
                Tensor u = params.get(j);
                boolean overlap = t.offset() < u.offset() + u.numel() && u.offset() < t.offset() + t.numel();
                if (overlap) {
                    throw new IllegalArgumentException("parameters '" + names.get(j) + "' and '" + names.get(i)
                            + "' share storage (tied weights); pass each tensor to the optimizer once");
                }
            }
            same.add(i);
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException(kind() + " optimizer was closed");
        for (int i = 0; i < slots.length; i++) {
            for (Tensor t : slots[i]) {
                if (t.isReleased()) {
                    throw new IllegalStateException(kind() + " optimizer state of parameter '" + names.get(i)
                            + "' was released, most likely by a TensorScope that was open when the optimizer was built "
                            + "or restored: build and restore optimizers outside per-step scopes");
                }
            }
        }
    }
}

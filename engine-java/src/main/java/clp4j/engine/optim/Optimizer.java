package clp4j.engine.optim;

import clp4j.engine.backend.Backend;

import java.util.List;

/**
 * A first-order optimizer over a fixed, ordered set of named parameters (HF names). Each
 * {@link #step()} reads every parameter's {@code grad()} (filled by {@code Autodiff.backward})
 * and updates the parameter in place on its own backend.
 *
 * <p>Optimizer state (moments) is allocated when the optimizer is built: build it outside any
 * per-step {@code TensorScope}, and {@link #close()} it to free the state.
 */
public interface Optimizer extends AutoCloseable {

    /** "adafactor" or "adamw"; recorded in checkpoints. */
    String kind();

    /** The backend holding every parameter and the state. */
    Backend backend();

    /** Parameter names, in update order. */
    List<String> parameterNames();

    /**
     * One update of every parameter that has a gradient, with learning rate
     * {@code schedule().at(stepCount())}; then the step count advances. A parameter whose
     * {@code grad()} is null (not reached by the backward pass) is left as it is, with its state.
     */
    void step();

    /** Sets every existing gradient to zero (keeps the gradient tensors, so no allocation per step). */
    void zeroGrad();

    /** Updates applied so far (T5X's {@code state.step}); 0 before the first {@link #step()}. */
    long stepCount();

    LearningRateSchedule schedule();

    /** Replaces the learning-rate schedule, e.g. after {@link #loadState} to change it for finetuning. */
    void setSchedule(LearningRateSchedule schedule);

    /** The learning rate the next {@link #step()} will use. */
    default float currentLearningRate() { return schedule().at(stepCount()); }

    /**
     * The complete state: step count, hyper-parameters (schedule included) and every state tensor,
     * named {@code {param}.{kind}.{slot}}. The tensors are the live ones, not copies: save them
     * before the next step.
     */
    OptimizerState state();

    /**
     * Restores a state saved by an optimizer of the same kind over parameters with the same names
     * and shapes: step count, hyper-parameters, schedule and every state tensor, bit for bit.
     * A different kind, a missing or extra parameter or a shape mismatch is an
     * {@link IllegalArgumentException} naming it; on error this optimizer is unchanged.
     */
    void loadState(OptimizerState state);

    /** Frees the state tensors. */
    @Override
    void close();
}

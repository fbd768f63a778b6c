package clp4j.engine.backend;

/**
 * One Adafactor step's scalars, T5X semantics (see clp4j.engine.optim.Adafactor).
 *
 * @param learningRate   step size (before parameter scaling)
 * @param decay          second-moment decay for this step, 1 - step^(-decayRate) in T5X
 * @param epsilon1       added to squared gradients (T5X: 1e-30)
 * @param epsilon2       floor of the parameter scale (T5X: 1e-3)
 * @param clipThreshold  update clipping threshold on RMS(update) (T5X: 1.0); &lt;= 0 disables
 * @param scaleParameter multiply the step by max(epsilon2, RMS(param))
 * @param weightDecay    decoupled weight decay (0 = off), applied as p -= learningRate * weightDecay * p_old with the
 *                       unscaled learning rate (Adafactor passes T5X's weight_decay_rate / lr, so the decay is lr-free)
 */
public record AdafactorParams(float learningRate, float decay, float epsilon1, float epsilon2,
                              float clipThreshold, boolean scaleParameter, float weightDecay) {
}

/**
 * Reverse-mode automatic differentiation for clp4j's model code.
 *
 * <ul>
 *   <li>{@link clp4j.engine.autodiff.F}: the differentiable ops. Each allocates its output on the input's
 *       backend, runs the backend forward and, when grad mode is on and an input requires a gradient,
 *       records a backward on the output (the tape is the graph of {@code gradFn}s).</li>
 *   <li>{@link clp4j.engine.autodiff.Autodiff#backward}: visits the graph in reverse topological order and
 *       accumulates into the {@code grad()} of every leaf (a tensor with {@code requiresGrad()} and no
 *       grad function: parameters). Op outputs' gradients exist only during the pass.</li>
 *   <li>{@link clp4j.engine.autodiff.NoGrad}: a per-thread, nestable region that records nothing
 *       (generation, evaluation).</li>
 *   <li>{@link clp4j.engine.autodiff.TensorScope}: releases a step's tensors together. Parameters made
 *       outside any scope, leaf gradients and {@code TensorScope.untracked} allocations survive.</li>
 * </ul>
 *
 * A training step:
 * <pre>{@code
 * try (TensorScope _ = TensorScope.open()) {
 *     Tensor loss = F.crossEntropy(model.logits(batch), batch.targets(), -100);
 *     Autodiff.zeroGrad(params);
 *     Autodiff.backward(loss);
 *     optimizer.step();
 * }
 * }</pre>
 */
package clp4j.engine.autodiff;

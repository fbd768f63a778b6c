package clp4j.engine.tensor;

/**
 * The backward function of the op that produced a tensor. Set by the autodiff layer;
 * {@code inputs()} are the tensors the op read that may need gradients.
 */
public interface GradFn {
    /** Adds this op's contribution to the gradients of its inputs, given {@code out.grad()}. */
    void backward(Tensor out);

    /** The op's differentiable inputs, used to order the backward pass. */
    Tensor[] inputs();

    /** Short op name for error messages and debugging. */
    String name();
}

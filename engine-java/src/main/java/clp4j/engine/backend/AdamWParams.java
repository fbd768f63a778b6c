package clp4j.engine.backend;

/**
 * One AdamW step's scalars (Loshchilov and Hutter; PyTorch's torch.optim.AdamW semantics).
 *
 * @param step 1-based step count, for bias correction
 */
public record AdamWParams(float learningRate, float beta1, float beta2, float epsilon, float weightDecay, int step) {
}

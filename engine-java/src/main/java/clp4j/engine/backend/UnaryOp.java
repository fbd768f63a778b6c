package clp4j.engine.backend;

/** Elementwise unary functions with a backend forward and backward. */
public enum UnaryOp {
    EXP, LOG, TANH, RELU,
    /** HF's gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    GELU_NEW
}

package clp4j.engine.backend;

/** Elementwise binary functions; the second operand may be broadcast (see {@link Backend#binary}). */
public enum BinaryOp { ADD, SUB, MUL, DIV }

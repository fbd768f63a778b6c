package clp4j.engine.backend;

/** Reductions over the last axis. */
public enum ReduceOp { SUM, MEAN, MAX }

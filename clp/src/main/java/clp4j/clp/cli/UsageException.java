package clp4j.clp.cli;

/** A command line the program cannot act on; {@link Main} prints the message and the usage, exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) { super(message); }
}

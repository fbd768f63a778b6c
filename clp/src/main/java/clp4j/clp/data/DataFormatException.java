package clp4j.clp.data;

/** A data file that cannot be used as it is; the message names the file, the line and the field and says what to do. */
public final class DataFormatException extends IllegalArgumentException {
    public DataFormatException(String message) { super(message); }
}

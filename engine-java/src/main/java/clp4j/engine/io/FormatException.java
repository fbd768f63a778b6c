package clp4j.engine.io;

import java.io.IOException;

/**
 * A file's content is malformed or unsupported (safetensors header, JSON, config.json, checkpoint
 * layout). The message names the file and the field or tensor, and says what to do. Every
 * content problem the readers detect is reported with this one type, so callers can tell a bad
 * file from a failing disk (plain {@link IOException}).
 */
public class FormatException extends IOException {
    public FormatException(String message) { super(message); }

    public FormatException(String message, Throwable cause) { super(message, cause); }
}

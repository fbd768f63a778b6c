package clp4j.clp.cli;


import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code clp4j} command line. User errors (bad options, files, data or settings) print one
 * message without a stack trace; exit codes: 0 done, 1 error, 2 bad command line, 3 internal error.
 */
public final class Main {
    static final String USAGE = """
            usage: clp4j COMMAND [options]     (clp4j COMMAND --help for its options)
            commands:
              sft    supervised finetuning of T5 on XSum (the reference policy of CLP)""";

    private Main() { }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line; returns the exit code (library code and tests call this, never {@code main}). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        try {
            if (args.length == 0) throw new UsageException("no command given");
            return switch (args[0]) {
                case "--help", "-h", "help" -> {
                    out.println(USAGE);
                    yield 0;
                }
                case "sft" -> SftCommand.run(rest, out);
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
        } catch (UsageException e) {
            err.println("clp4j: " + e.getMessage());
            err.println(args.length > 0 && args[0].equals("sft") ? SftCommand.USAGE : USAGE);
            return 2;
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            err.println("clp4j: error: " + message(e));
            return 1;
        } catch (RuntimeException | Error e) {
            err.println("clp4j: internal error (please report it with the command line):");
            e.printStackTrace(err);
            return 3;
        }
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file: " + m;
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied: " + m;
        return m != null ? m : e.toString();
    }
}

package p3.bench.mesh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The temporary folder of one process-isolation run: each runtime's framework storage, configuration
 * folder, shell socket and log. It is this user's alone ({@code createTempDirectory}: 0700), as the
 * runtimes' shells want. It goes when the run ends, but for the logs when something failed or
 * {@value #KEEP_LOGS_PROPERTY} is true.
 */
final class RunFolder {

    /** {@code -Dp3.bench.keepLogs=true} keeps every run's folder of logs. */
    static final String KEEP_LOGS_PROPERTY = "p3.bench.keepLogs";

    private RunFolder() {
    }

    static Path create(String mesh) throws IOException {
        return Files.createTempDirectory("p3-bench-" + mesh + "-");
    }

    /** Removes the framework storages, and the logs too unless something failed or they are to be kept. */
    static void remove(Path folder, boolean troubled) {
        boolean keepLogs = troubled || Boolean.getBoolean(KEEP_LOGS_PROPERTY);
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder())
                    .filter(f -> !keepLogs || !(f.toString().endsWith(".log") || f.equals(folder)))
                    .forEach(f -> {
                        try {
                            Files.deleteIfExists(f);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
            if (keepLogs) {
                System.err.println("p3-bench: the peers' logs are in " + folder);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("p3-bench: cannot remove " + folder + ": " + e.getMessage());
        }
    }

    /** The last lines of a log, for an error message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

package p3.bench.mesh;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code p3-bench report}: report.md and the figures again, from a stored results.json. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes report.md and its SVG figures (the report's Tables III-VII and Figures 5-9, "
                + "with its numbers beside ours) from a results.json of the mesh bench.")
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "The results.json to read.")
    Path in;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write report.md and the figures (default: the folder of --in).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Results results = read(in, err);
        if (results == null) {
            return 1;
        }
        Path dir = out != null ? out : in.toAbsolutePath().getParent();
        List<Path> written = ReportWriter.write(results, in.getFileName().toString(), dir);
        spec.commandLine().getOut().printf("%s: %d runs, %d figures%n", written.get(0), results.runs().size(),
                written.size() - 1);
        return 0;
    }

    /** A results file, or null when it cannot be read or is not one, with the reason on {@code err}. */
    static Results read(Path file, PrintWriter err) {
        try {
            return ResultsJson.read(file);
        } catch (MalformedResultsException e) {
            err.println("not a results file: " + e.getMessage());
        } catch (IOException e) {
            err.println("cannot read " + file + ": " + e);
        }
        return null;
    }
}

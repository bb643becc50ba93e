package p3.bench.mesh;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code p3-bench scale}: the scale table (issue 13) over the results of several mesh bench runs. */
@Command(name = "scale", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints the scale table (time to form the tree, threads, heap per peer, CPU per packet, client "
                + "p50/p99, by the count of sensors) and the knee, in Markdown, from the results of several "
                + "`p3-bench mesh` runs: one folder (or results.json) per size.")
public final class ScaleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR|FILE",
            description = "Folders of `p3-bench mesh --out` (their results.json is read), or results.json files.")
    List<Path> inputs;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the table to this file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        List<Results> read = new ArrayList<>();
        for (Path in : inputs) {
            Path file = Files.isDirectory(in) ? in.resolve("results.json") : in;
            Results results = ReportCommand.read(file, err);
            if (results == null) {
                return 1;
            }
            read.add(results);
        }
        ScaleTable table = new ScaleTable(read);
        String md = "## Scale\n\n" + table.markdown() + "\n" + ScaleTable.legend();
        spec.commandLine().getOut().print(md);
        spec.commandLine().getOut().flush();
        if (out != null) {
            Files.writeString(out, md, StandardCharsets.UTF_8);
        }
        return table.isEmpty() ? 1 : 0;
    }
}

package p3.bench;

import p3.bench.mesh.MeshCommand;
import p3.bench.mesh.ReportCommand;
import p3.bench.mesh.ScaleCommand;
import p3.bench.transport.TransportCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code p3-bench}: the benchmarks of P3, one subcommand each. They run on the classpath, outside
 * OSGi, against the implementation classes of the bundles.
 */
@Command(name = "p3-bench", mixinStandardHelpOptions = true, version = "p3-bench 0.1.0",
        description = "Benchmarks of P3 mesh.",
        subcommands = { MeshCommand.class, TransportCommand.class, ReportCommand.class, ScaleCommand.class,
                CommandLine.HelpCommand.class })
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand");
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}

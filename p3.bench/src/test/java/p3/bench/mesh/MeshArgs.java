package p3.bench.mesh;

import p3.bench.Main;
import picocli.CommandLine;

/** The bench's command line as the option tests read it: {@code mesh} and its options, parsed. */
final class MeshArgs {

    private MeshArgs() {
    }

    static MeshCommand parse(String... args) {
        CommandLine cli = Main.commandLine();
        cli.parseArgs(args);
        return (MeshCommand) cli.getSubcommands().get("mesh").getCommand();
    }
}

package p3.bench.mesh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import p3.mesh.PeerRole;

/**
 * One peer's runtime in process isolation: its JVM, its shell, its file and host, and what the bench
 * knows of it (killed, hung, bound once, niced). {@link ProcessSystem} starts, strikes and reads it.
 */
final class PeerProcess {

    /** For one shell command: the connection, and each read of the answer. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);

    final String id;
    final PeerRole role;
    /** Its configuration, to start it again. */
    final PeerFile file;
    final Path shellSocket;
    final Path log;
    final Process process;
    /** Its host in the netns lab; null on loopback. */
    final NetnsLab.Host host;
    /** Tells the bench that something went wrong, so that the run's logs are kept. */
    private final Runnable troubled;
    /** Its last figures: what counts for it once it is killed. */
    volatile ShellJson.RuntimeStats last;
    volatile boolean killed;
    /** SIGSTOPped: its shell does not answer either. */
    volatile boolean hung;
    /** Bound once: until then a started-again runtime is left out of the figures. */
    volatile boolean ready;
    /** Started at the lowest CPU priority, not yet given the usual one. */
    volatile boolean niced;

    PeerProcess(PeerFile file, Path shellSocket, Path log, Process process, NetnsLab.Host host, Runnable troubled) {
        this.id = file.id();
        this.role = file.role();
        this.file = file;
        this.shellSocket = shellSocket;
        this.log = log;
        this.process = process;
        this.host = host;
        this.troubled = troubled;
    }

    /** @throws IllegalStateException naming the command, the peer and its log when it fails */
    String command(String line) {
        ShellClient.Reply reply;
        try {
            reply = ShellClient.run(shellSocket, line, COMMAND_TIMEOUT);
        } catch (IOException e) {
            throw trouble(id + ": '" + line + "' found no answer (" + e.getMessage() + ")"
                    + (process.isAlive() ? "" : "; its process exited with " + process.exitValue()));
        }
        if (!reply.ok()) {
            throw trouble(id + ": '" + line + "' failed: " + reply.failure());
        }
        return reply.output();
    }

    ShellJson.RuntimeStats stats() {
        ShellJson.RuntimeStats s = ShellJson.stats(command("p3:stats --json"));
        last = s;
        return s;
    }

    ShellJson.PeerStats self(ShellJson.RuntimeStats s) {
        for (ShellJson.PeerStats p : s.peers()) {
            if (p.peer().equals(id)) {
                return p;
            }
        }
        throw trouble(id + ": its runtime lists no such peer: " + s.peers());
    }

    boolean live() {
        return !killed;
    }

    /** The usual CPU priority for each of its threads: those it starts later inherit it. */
    void unnice() throws IOException {
        if (!niced) {
            return;
        }
        niced = false;
        List<String> tasks;
        try (var listed = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            tasks = listed.map(t -> t.getFileName().toString()).toList();
        }
        for (String task : tasks) {
            try {
                NetnsLab.run("renice", "-n", "0", "-p", task);
            } catch (IOException e) {
                // the thread ended meanwhile
            }
        }
    }

    /** Live, running and bound once: its shell answers. */
    boolean answering() {
        return !killed && !hung && ready;
    }

    IllegalStateException trouble(String message) {
        troubled.run();
        return new IllegalStateException(message + " (log " + log + ")");
    }
}

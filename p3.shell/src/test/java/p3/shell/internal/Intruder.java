package p3.shell.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import p3.shell.ShellClient;

/**
 * Runs {@link ShellClient} in a JVM of its own, as this process's user or as user nobody (65534,
 * through {@code setpriv}, which root alone may use): what another user on the host would do.
 */
final class Intruder {

    static final int NOBODY = 65534;

    /** What the client did: its exit status, standard output and error. */
    record Result(int exit, String out, String err) {}

    private final Path classpath;
    private final Path logs;
    private int runs;

    /**
     * @param dir  a folder that nobody may read: the client's classes are copied there (the build's
     *             folder need not be readable by nobody)
     * @param logs a folder for the client's output (written by this process)
     */
    Intruder(Path dir, Path logs) throws IOException {
        this.classpath = dir.resolve("cp");
        this.logs = logs;
        Path pkg = Files.createDirectories(classpath.resolve("p3/shell"));
        List<Class<?>> classes = new ArrayList<>(List.of(ShellClient.class.getNestMembers()));
        for (Class<?> c : classes) {
            String name = c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class";
            try (InputStream in = c.getResourceAsStream(name)) {
                Files.copy(in, pkg.resolve(name));
            }
        }
        try (Stream<Path> all = Files.walk(classpath)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x"
                        : "rw-r--r--"));
            }
        }
    }

    /** True when this process runs as root: it can then run a process as another user. */
    static boolean root() {
        try {
            Path probe = Files.createTempFile("p3-uid", "");
            try {
                return Integer.valueOf(0).equals(Files.getAttribute(probe, "unix:uid"));
            } finally {
                Files.delete(probe);
            }
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The setpriv command, if the host has one. */
    static Optional<Path> setpriv() {
        return Stream.of("/usr/bin/setpriv", "/bin/setpriv").map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** The client as this process's user. */
    Result asOwner(Path socket, String command) throws IOException, InterruptedException {
        return run(List.of(), socket, command);
    }

    /** The client as user nobody, without any group of this process. */
    Result asNobody(Path socket, String command) throws IOException, InterruptedException {
        return run(List.of(setpriv().orElseThrow().toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "--"), socket, command);
    }

    private Result run(List<String> prefix, Path socket, String command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(prefix);
        c.add(ProcessHandle.current().info().command().orElseThrow());
        c.addAll(List.of("-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", classpath.toString(),
                ShellClient.class.getName(), "--timeout", "20", socket.toString(), command));
        int n = ++runs;
        Path out = logs.resolve(n + ".out");
        Path err = logs.resolve(n + ".err");
        Process p = new ProcessBuilder(c).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the client did not end within 30 s: " + c);
            }
        } finally {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    }
}

package p3.systest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runtime {@code p3.jar} as a process, as {@code ./p3 run --mesh small} starts it: its own
 * framework storage, token, audit log and the remote shell's socket ({@code shell.sock}) in a folder
 * of the test, the console on a free port. Its output goes to {@code runtime.log} in that folder.
 */
final class RuntimeProcess implements AutoCloseable {

    private static final Pattern CONSOLE = Pattern.compile("p3: console on (http://127\\.0\\.0\\.1:\\d+/) ");
    private static final Duration START = Duration.ofSeconds(60);

    final Path dir;
    final Path shellSocket;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private RuntimeProcess(Path dir, Path shellSocket, Process process) {
        this.dir = dir;
        this.shellSocket = shellSocket;
        this.process = process;
        Thread reader = new Thread(this::read, "p3-systest-runtime-output");
        reader.setDaemon(true);
        reader.start();
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("p3.root", ".."), "p3.run", "target", "p3.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build p3.run first (mvn install)");
        }
        return jar;
    }

    /** Starts {@code p3.jar} with a local mesh of that shape ({@code small} or {@code report}). */
    static RuntimeProcess start(Path dir, String mesh) throws IOException {
        return start(dir, mesh, List.of());
    }

    /**
     * Starts {@code p3.jar} with a local mesh of that shape ({@code small}, {@code report} or
     * {@code off}) and these more JVM options; its configuration folder is {@code conf} in the
     * test's folder unless an option says another.
     */
    static RuntimeProcess start(Path dir, String mesh, List<String> options) throws IOException {
        Path shellSocket = dir.resolve("shell.sock"); // the test's folder is its user's alone, as the shell wants
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.add("-Xmx256m");
        c.add("-Djava.net.preferIPv4Stack=true");
        c.add("-Dorg.osgi.framework.storage=" + dir.resolve("fw"));
        c.add("-Dp3.shell.socket=" + shellSocket);
        c.add("-Dorg.osgi.service.http.port=0");
        c.add("-Dp3.console.tokenFile=" + dir.resolve("console.token"));
        c.add("-Dp3.audit.file=" + dir.resolve("audit.log"));
        c.add("-Dp3.security.dir=" + dir.resolve("pki"));
        c.add("-Dp3.local.mesh=" + mesh);
        c.add("-Dgosh.args=--nointeractive");
        c.add("-Dfelix.fileinstall.dir=" + dir.resolve("conf"));
        c.addAll(options); // after the defaults: the JVM takes the last of a property given twice
        c.add("-jar");
        c.add(jar().toString());
        ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true);
        return new RuntimeProcess(dir, shellSocket, pb.start());
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
                OutputStream log = Files.newOutputStream(dir.resolve("runtime.log"))) {
            for (String line; (line = in.readLine()) != null;) {
                lines.add(line);
                log.write((line + "\n").getBytes(UTF_8));
                log.flush();
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The console's URL, as the runtime printed it. */
    String consoleUrl() {
        return await().atMost(START).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the runtime exited " + process.exitValue() + "; log in " + dir);
            }
            for (String line : lines) {
                Matcher m = CONSOLE.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
            return null;
        }, u -> u != null);
    }

    /** Waits for a line of output that contains {@code text}. */
    void awaitLine(String text) {
        await().atMost(START).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the runtime exited " + process.exitValue() + "; log in " + dir);
            }
            return lines.stream().anyMatch(l -> l.contains(text));
        });
    }

    String token() throws IOException {
        return Files.readString(dir.resolve("console.token"), UTF_8).strip();
    }

    /**
     * One command line through the remote shell; its output without the status line.
     *
     * @throws IllegalStateException when the command failed (status 1)
     */
    String shell(String command) throws IOException {
        try (SocketChannel s = SocketChannel.open(UnixDomainSocketAddress.of(shellSocket))) {
            s.write(ByteBuffer.wrap((command + "\n").getBytes(UTF_8)));
            // the runtime answers and closes; closing the channel ends a read that waits longer
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return Channels.newInputStream(s).readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            String all;
            try {
                all = new String(answer.get(30, TimeUnit.SECONDS), UTF_8);
            } catch (TimeoutException e) {
                throw new IllegalStateException("no answer from the shell within 30 s for " + command);
            } catch (ExecutionException e) {
                throw new IOException(command + ": " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            int status = all.lastIndexOf("%%p3-status ");
            if (status < 0) {
                throw new IllegalStateException("no status from the shell for " + command + ": " + all);
            }
            if (all.startsWith("%%p3-status 1", status)) {
                throw new IllegalStateException(command + " failed: " + all.substring(status));
            }
            return all.substring(0, status);
        }
    }

    /** The shell's answer once the command is there (DS may register it after the shell answers). */
    String shellWhenReady(String command) {
        return await().atMost(START).ignoreExceptions().until(() -> shell(command), a -> true);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the runtime's shutdown hook stops the framework
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}

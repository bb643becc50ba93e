package p3.bench.mesh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import p3.mesh.ClassStats;
import p3.mesh.Deliveries;
import p3.mesh.FailureRecord;
import p3.mesh.FtMode;
import p3.mesh.PeerRole;
import p3.security.ca.MeshCa;
import p3.transport.PortRuns;

/**
 * One OS process per peer, each the real runtime ({@code java -jar p3.run/target/p3.jar}: Felix
 * with every bundle, the three strategies and the three traffic classes), started with no local
 * mesh on a configuration folder holding its peer's file ({@link PeerFile}), as an operator deploys
 * a peer per host; a crash is {@code kill -9} of that JVM. The bench drives the peers
 * and gathers their figures through each runtime's remote shell, on a Unix domain socket of its own
 * in the run's folder ({@code <peer>-shell.sock}).
 *
 * <p>Each process has a framework storage and a log in a temporary folder of the run, which
 * {@link #close()} removes unless something went wrong or {@value RunFolder#KEEP_LOGS_PROPERTY} is true
 * (then the logs stay, and an error names the log). A peer's standard input is a pipe from the
 * bench: should the bench die without {@link #close()} (kill -9), the end of that input stops the
 * peer's framework (Gogo's console), so no peer outlives it by more than a few seconds.
 */
final class ProcessSystem implements MeshSystem {

    /** How long one peer may take from its JVM's start to being bound. */
    private static final Duration PEER_BOUND = Duration.ofSeconds(60);
    /** A crash waits at most this long for the victim's last figures: a cell's peers crash a few ms apart. */
    private static final Duration LAST_FIGURES_BOUND = Duration.ofMillis(500);
    /** The niceness a killed peer's runtime starts again with. */
    private static final int RESTART_NICE = 19;
    /** After SIGKILL, the JVM is gone within this. */
    private static final Duration EXIT_BOUND = Duration.ofSeconds(10);

    private final TreeShape shape;
    private final String strategy;
    private final boolean sensorMemory;
    private final boolean security;
    private final String mesh = "b" + ProcessHandle.current().pid() + "x"
            + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private final Map<String, PeerProcess> peers = new LinkedHashMap<>();
    /** Runtimes killed and started again under the same PeerId: their last figures still count. */
    private final List<PeerProcess> earlier = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "p3-bench-shell");
        t.setDaemon(true);
        return t;
    });
    private final Path runJar;
    /** Netns isolation: each peer's runtime on a host of its own, in {@link #lab}; else all share loopback. */
    private final boolean netns;
    private NetnsLab lab;
    private Path dir;
    private boolean closed;
    /** Keep the folder of logs: something failed. */
    private volatile boolean troubled;

    ProcessSystem(TreeShape shape, BenchSettings settings, String strategy, boolean sensorMemory, boolean security) {
        this(shape, settings, strategy, sensorMemory, security, false);
    }

    /** @param netns every peer's runtime on a host of its own ({@link NetnsLab}), else all on loopback */
    ProcessSystem(TreeShape shape, BenchSettings settings, String strategy, boolean sensorMemory, boolean security,
            boolean netns) {
        this.netns = netns;
        this.shape = shape;
        this.strategy = strategy;
        this.sensorMemory = sensorMemory;
        this.security = security;
        if (!settings.traffic().equals(BenchSettings.TABLE_I) || !settings.deadline().equals(Duration.ofMillis(100))) {
            throw new IllegalArgumentException("process isolation runs the traffic bundles' own profiles (Table I, "
                    + "deadline 100 ms), not " + settings.traffic() + " at " + settings.deadline());
        }
        this.runJar = PeerCommandLine.runJar();
    }

    @Override
    public void form() throws Exception {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            dir = RunFolder.create(mesh);
            if (netns) {
                lab = NetnsLab.open();
            }
        }
        if (security) {
            // one CA for the whole mesh, made before any runtime starts: each runtime issues its own
            // peer's certificate from it (they share the folder), and all trust the same CA
            MeshCa.createIn(PeerCommandLine.pki(dir), mesh, Duration.ofDays(1));
        }
        int cells = 0;
        int supers = 0;
        for (int level = 0; level <= shape.depth(); level++) {
            cells += shape.cells(level).size();
            supers += shape.cells(level).size() * shape.superPeers(level);
        }
        int discovery = PortRuns.freeUdp(cells);
        int membership = PortRuns.freeUdp(cells);
        for (int i = 1; i <= supers; i++) {
            startBound(String.format(Locale.ROOT, "sp%02d", i), PeerRole.SUPER, discovery, membership);
        }
        for (int i = 1; i <= shape.sensors(); i++) {
            startBound("sensor" + i, PeerRole.SENSOR, discovery, membership);
        }
        startBound("client", PeerRole.CLIENT, discovery, membership);
    }

    /**
     * Starts one peer's runtime and waits until its peer is bound (polling {@code p3:stats --json}):
     * one at a time, so that exactly one super-peer founds the root.
     */
    private void startBound(String id, PeerRole role, int discovery, int membership) throws Exception {
        NetnsLab.Host host = lab == null ? null : lab.host();
        PeerFile peer = new PeerFile(id, role, mesh, discovery, membership, strategy, sensorMemory, shape.span(),
                shape.depth(), String.join(",", shape.superPeersPerCell().stream().map(String::valueOf).toList()),
                shape.sensorsPerCell(), host == null ? "" : host.address());
        awaitBound(launch(peer, host, false));
    }

    private void awaitBound(PeerProcess p) throws Exception {
        String id = p.id;
        long deadline = System.nanoTime() + PEER_BOUND.toNanos();
        String state = "not started";
        while (System.nanoTime() < deadline) {
            if (!p.process.isAlive()) {
                if (isClosed()) {
                    throw new IllegalStateException("closed while " + id + " was starting");
                }
                throw p.trouble(id + ": its runtime exited with " + p.process.exitValue() + " while starting: "
                        + RunFolder.tail(p.log));
            }
            try {
                ShellClient.Reply reply = ShellClient.run(p.shellSocket, "p3:stats --json", PeerProcess.COMMAND_TIMEOUT);
                p.unnice(); // its shell answers: the framework is up, the peer's joining begins
                if (reply.ok()) {
                    List<ShellJson.PeerStats> here = ShellJson.stats(reply.output()).peers();
                    state = here.isEmpty() ? "no peer yet" : here.get(0).state();
                    if (here.size() == 1 && here.get(0).peer().equals(id) && state.equals("BOUND")) {
                        p.ready = true;
                        return;
                    }
                } else {
                    state = reply.failure(); // "Command not found" while the bundles start
                }
            } catch (IOException e) {
                state = "no shell yet"; // the JVM is starting
            }
            Thread.sleep(50); // polling a process with a bound: it reports no event of its own
        }
        throw p.trouble(id + " did not bind within " + PEER_BOUND.toSeconds() + " s (last: " + state + ")");
    }

    /**
     * @param host    its host in the netns lab, or null for loopback
     * @param nicely at the lowest CPU priority ({@value #RESTART_NICE}): see {@link #restart}
     */
    private PeerProcess launch(PeerFile peer, NetnsLab.Host host, boolean nicely) throws IOException {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("closed while starting " + peer.id());
            }
            Path socket = dir.resolve(peer.id() + "-shell.sock");
            Path log = dir.resolve(peer.id() + ".log");
            Path storage = dir.resolve(peer.id() + "-fw");
            List<String> command = PeerCommandLine.of(runJar, peer, security, socket, storage);
            if (nicely) {
                List<String> niced = new ArrayList<>(List.of("nice", "-n", Integer.toString(RESTART_NICE)));
                niced.addAll(command); // nice execs java: the pid stays the JVM's
                command = niced;
            }
            Path conf = PeerCommandLine.conf(storage, peer.id());
            if (host != null) {
                command = host.exec(command);
                host.writeTransportFiles(conf);
            }
            Path file = peer.writeInto(conf);
            Files.writeString(log, String.join(" ", command) + "\n" + file + ":\n" + peer.text(),
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // standard input stays a pipe from this JVM (see the class comment)
            Files.deleteIfExists(socket); // a killed runtime's, when it starts again
            PeerProcess p = new PeerProcess(peer, socket, log, pb.start(), host, () -> troubled = true);
            p.niced = nicely;
            PeerProcess before = peers.put(peer.id(), p);
            if (before != null) {
                earlier.add(before);
            }
            return p;
        }
    }

    @Override
    public void request(FtMode mode) {
        client().command("p3:request " + mode.label());
    }

    @Override
    public Map<String, List<String>> superPeersByCell() throws Exception {
        return CampaignPlayer.superPeersByCell(topology().values(), false);
    }

    /**
     * Takes the peer's last figures (what counts for it from now on), then SIGKILLs its JVM: the
     * process this bench started is the JVM itself, and {@link Process#destroyForcibly()} is
     * {@code kill -9} on Linux.
     */
    @Override
    public long crash(String id) throws Exception {
        return crashAll(List.of(id));
    }

    /**
     * Takes the last figures of every victim first, then SIGKILLs them one right after the other,
     * so that a cell goes down at once. @return when the first was killed
     */
    long crashAll(List<String> ids) throws Exception {
        List<PeerProcess> victims = new ArrayList<>();
        for (String id : ids) {
            PeerProcess p = peer(id);
            if (!p.live()) {
                throw new IllegalStateException(id + " is already crashed");
            }
            victims.add(p);
        }
        for (PeerProcess p : victims) {
            try {
                ShellClient.Reply r = ShellClient.run(p.shellSocket, "p3:stats --json", LAST_FIGURES_BOUND);
                if (r.ok()) {
                    p.last = ShellJson.stats(r.output());
                }
            } catch (IOException | IllegalStateException e) {
                // a slow answer must not delay the crash: its figures of the start of measurement count
            }
        }
        long at = System.nanoTime();
        for (PeerProcess p : victims) {
            p.killed = true;
            p.process.destroyForcibly();
        }
        for (PeerProcess p : victims) {
            if (!p.process.waitFor(EXIT_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                throw p.trouble(p.id + ": its JVM (pid " + p.process.pid() + ") is still there "
                        + EXIT_BOUND.toSeconds() + " s after SIGKILL");
            }
        }
        return at;
    }

    /**
     * Starts a killed peer's runtime again, under the same PeerId, on the same host, from the same
     * file, and waits until it is bound. Its JVM starts at the lowest CPU priority, and has the usual
     * one once its shell answers: a host that reboots uses its own CPU, while here one JVM's start
     * (some seconds of both cores) starved the running peers, their links went idle and the fault
     * under test became a machine-wide stall. Niced until bound, it was starved in turn: its own
     * links went idle and it stayed JOINING for a minute (measured).
     */
    void restart(String id) throws Exception {
        PeerProcess old = peer(id);
        if (old.live()) {
            throw new IllegalStateException(id + " is running: only a killed peer starts again");
        }
        awaitBound(launch(old.file, old.host, true));
    }

    /** SIGSTOP (hang) or SIGCONT (resume) of the peer's JVM: its sockets stay open, and nothing answers. */
    void hang(String id, boolean stop) throws Exception {
        PeerProcess p = peer(id);
        if (!p.live()) {
            throw new IllegalStateException(id + " is killed");
        }
        if (stop) {
            p.hung = true;
        }
        NetnsLab.run("kill", stop ? "-STOP" : "-CONT", Long.toString(p.process.pid()));
        if (!stop) {
            p.hung = false;
        }
    }

    /** Netns: drops everything between two peers' hosts, both ways, or lets it through again. */
    void partition(String a, String b, boolean on) throws IOException {
        NetnsLab.Host ha = hostOf(a);
        NetnsLab.Host hb = hostOf(b);
        ha.drop(hb.address(), on);
        hb.drop(ha.address(), on);
    }

    /** Netns: the peer's host drops this share of what it receives and sends (0: none). */
    void loss(String peer, int percent) throws IOException {
        hostOf(peer).loss(percent);
    }

    /** The pid of the peer's JVM now. */
    long pid(String peer) {
        return peer(peer).process.pid();
    }

    /** What each answering peer says of itself now: role, cell, state, parents. */
    Map<String, ShellJson.PeerStats> topology() throws Exception {
        Map<String, ShellJson.PeerStats> out = new TreeMap<>();
        onEach(null, PeerProcess::stats).forEach((p, s) -> out.put(p.id, p.self(s)));
        return out;
    }

    /** What the client delivered, for the checker. */
    List<Deliveries> clientDeliveries() {
        return ShellJson.deliveries(client().command("p3:deliveries --json"));
    }

    private NetnsLab.Host hostOf(String peer) {
        NetnsLab.Host h = peer(peer).host;
        if (h == null) {
            throw new IllegalStateException(peer + " has no host of its own: this fault needs --isolation netns");
        }
        return h;
    }

    /** Netns: cuts the peer's host off the network, or puts it back; its process runs on. */
    void cut(String peer, boolean off) throws IOException {
        NetnsLab.Host h = peer(peer).host;
        if (h == null) {
            throw new IllegalStateException(peer + " has no host of its own: cutting needs --isolation netns");
        }
        if (off) {
            h.cut();
        } else {
            h.heal();
        }
    }

    /** The peer's state as its own runtime says (through its shell, which no network cut reaches). */
    String state(String id) {
        PeerProcess p = peer(id);
        return p.self(p.stats()).state();
    }

    @Override
    public void useStrategy(String name) throws Exception {
        onEach(PeerRole.SUPER, p -> p.command("p3:ft " + name));
    }

    @Override
    public void restartLatency() {
        client().command("p3:restartlatency");
    }

    @Override
    public void stopSources() throws Exception {
        onEach(PeerRole.SENSOR, p -> p.command("p3:stopsources"));
    }

    @Override
    public List<ClassStats> clientStats() {
        return client().stats().clientClasses();
    }

    @Override
    public List<FailureRecord> failures() throws Exception {
        List<FailureRecord> out = new ArrayList<>();
        for (List<FailureRecord> each : onEach(null, p -> ShellJson.failures(p.command("p3:failures --json"))).values()) {
            out.addAll(each);
        }
        return out;
    }

    /** Live peers answer now; a crashed one counts with the figures it had just before its crash (and no heap). */
    @Override
    public Totals totals() throws Exception {
        onEach(null, PeerProcess::stats);
        long cb = 0;
        long cm = 0;
        long pb = 0;
        long pm = 0;
        long rb = 0;
        long rm = 0;
        double cpu = 0;
        double heap = 0;
        List<PeerProcess> counted = all();
        synchronized (this) {
            counted.addAll(earlier);
        }
        for (PeerProcess p : counted) {
            ShellJson.RuntimeStats s = p.last;
            if (s == null) {
                continue;
            }
            for (ShellJson.PeerStats k : s.peers()) {
                cb += k.controlBytes();
                cm += k.controlMessages();
                pb += k.payloadBytes();
                pm += k.payloadMessages();
                rb += k.replicaBytes();
                rm += k.replicaMessages();
            }
            cpu += Math.max(0, s.cpuSeconds());
            heap += p.answering() ? s.heapMb() : 0;
        }
        return new Totals(cb, cm, pb, pm, rb, rm, cpu, heap);
    }

    /** From each live runtime's {@code /proc/PID/status} (VmRSS): what its JVM holds in memory. */
    @Override
    public Map<String, Double> residentMb() {
        Map<String, Double> out = new TreeMap<>();
        for (PeerProcess p : all()) {
            if (!p.live()) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.process.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        out.put(p.id, Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // not Linux, or the process just went: the others still count
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** Runs a command on every live peer of a role (null: every live peer) at once. */
    private <T> Map<PeerProcess, T> onEach(PeerRole role, PeerCall<T> call) throws Exception {
        Map<PeerProcess, Future<T>> futures = new LinkedHashMap<>();
        for (PeerProcess p : all()) {
            if (p.answering() && (role == null || p.role == role)) {
                Callable<T> task = () -> call.on(p);
                futures.put(p, pool.submit(task));
            }
        }
        Map<PeerProcess, T> out = new LinkedHashMap<>();
        for (Map.Entry<PeerProcess, Future<T>> e : futures.entrySet()) {
            try {
                out.put(e.getKey(), e.getValue().get());
            } catch (ExecutionException x) {
                if (x.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw x;
            }
        }
        return out;
    }

    @FunctionalInterface
    private interface PeerCall<T> {
        T on(PeerProcess p) throws Exception;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private synchronized List<PeerProcess> all() {
        return new ArrayList<>(peers.values());
    }

    private synchronized PeerProcess peer(String id) {
        PeerProcess p = peers.get(id);
        if (p == null) {
            throw new IllegalArgumentException("no peer " + id + " was started: " + peers.keySet());
        }
        return p;
    }

    private PeerProcess client() {
        PeerProcess c = peer("client");
        if (!c.live()) {
            throw new IllegalStateException("the client is crashed");
        }
        return c;
    }

    /** Kills every process it started and waits for each to be gone; removes the folder unless something failed. */
    @Override
    public void close() {
        List<PeerProcess> started;
        Path folder;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            started = new ArrayList<>(peers.values());
            folder = dir;
        }
        for (PeerProcess p : started) {
            p.killed = true;
            p.process.destroyForcibly(); // SIGKILL ends a stopped process too
        }
        List<String> left = new ArrayList<>();
        for (PeerProcess p : started) {
            try {
                if (!p.process.waitFor(EXIT_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                    left.add(p.id + " (pid " + p.process.pid() + ")");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                left.add(p.id + " (pid " + p.process.pid() + ", not awaited)");
            }
        }
        pool.shutdownNow();
        if (!left.isEmpty()) {
            troubled = true;
            System.err.println("p3-bench: still running " + EXIT_BOUND.toSeconds() + " s after SIGKILL: " + left);
        }
        if (lab != null) {
            lab.close(); // its processes are gone: the namespaces go with nothing left inside
        }
        if (folder != null) {
            RunFolder.remove(folder, troubled);
        }
    }
}

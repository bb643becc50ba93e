package p3.bench.mesh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The lab of {@code --isolation netns}: each peer's runtime on a host of its own, a Linux network
 * namespace with its own address on one bridge, so that links, discovery and the cells' multicast
 * cross real interfaces instead of loopback. Needs root and iproute2; partitions and losses need
 * iptables as well.
 *
 * <p>Everything it makes is named with {@value #PREFIX}: {@link #close} removes it, a shutdown hook
 * does when the bench is interrupted, and the next lab's {@link #open} does when the bench was
 * killed before either could.
 */
final class NetnsLab implements AutoCloseable {

    static final String PREFIX = "p3lab";
    static final String BRIDGE = PREFIX + "-br";
    /** The hosts' addresses: 10.77.0.2 upwards, on 10.77.0.0/16. */
    private static final String NET = "10.77.";
    private static final long COMMAND_SECONDS = 20;

    /** One host of the lab: its namespace and its address there. */
    record Host(String namespace, String address) {

        /** What runs a command in this host's namespace: {@code ip netns exec} execs the command, same pid. */
        List<String> exec(List<String> command) {
            List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
            out.addAll(command);
            return out;
        }

        /** Cuts the host off the bridge (its interface down): its peers' sockets stay open and hear nothing. */
        void cut() throws IOException {
            run("ip", "-n", namespace, "link", "set", "eth0", "down");
        }

        /** Puts it back on the bridge, with the multicast route that going down removed. */
        void heal() throws IOException {
            run("ip", "-n", namespace, "link", "set", "eth0", "up");
            run("ip", "-n", namespace, "route", "replace", "224.0.0.0/4", "dev", "eth0");
        }

        /** Drops everything to and from {@code address} (iptables, both chains), or stops dropping it. */
        void drop(String address, boolean on) throws IOException {
            String op = on ? "-A" : "-D";
            run("ip", "netns", "exec", namespace, "iptables", op, "INPUT", "-s", address, "-j", "DROP");
            run("ip", "netns", "exec", namespace, "iptables", op, "OUTPUT", "-d", address, "-j", "DROP");
        }

        /**
         * Drops this share of what the host receives and of what it sends, at random (iptables'
         * {@code statistic} match; {@code tc netem} is not there on these kernels); 0 drops none. It
         * flushes the host's rules first: a lab's faults come one at a time.
         */
        void loss(int percent) throws IOException {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("a loss is 0 to 100%: " + percent);
            }
            run("ip", "netns", "exec", namespace, "iptables", "-F", "INPUT");
            run("ip", "netns", "exec", namespace, "iptables", "-F", "OUTPUT");
            if (percent > 0) {
                String p = String.format(java.util.Locale.ROOT, "%.2f", percent / 100.0);
                for (String chain : List.of("INPUT", "OUTPUT")) {
                    run("ip", "netns", "exec", namespace, "iptables", "-A", chain, "-m", "statistic", "--mode",
                            "random", "--probability", p, "-j", "DROP");
                }
            }
        }

        /**
         * The transport's configurations for this host, beside its peer's file: discovery and the
         * cells' groups bind to its address (they bind to 127.0.0.1 by default), and the groups'
         * multicast may leave the host (their TTL is 0 by default).
         */
        void writeTransportFiles(Path folder) throws IOException {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("p3.transport.discovery.cfg"), "bindAddress=" + address + "\n",
                    StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("p3.transport.groups.cfg"), "bindAddress=" + address + "\nipTtl=1\n",
                    StandardCharsets.UTF_8);
        }
    }

    private final List<String> namespaces = new ArrayList<>();
    private final Thread hook = new Thread(this::removeQuietly, "p3-bench-netns-cleanup");
    private boolean closed;

    private NetnsLab() {
    }

    /** A lab with its bridge and no host yet; what a killed bench left behind goes first. */
    static NetnsLab open() throws IOException {
        removeLeftovers();
        NetnsLab lab = new NetnsLab();
        Runtime.getRuntime().addShutdownHook(lab.hook);
        try {
            // the bridge floods multicast to every port: without snooping no IGMP report is needed
            run("ip", "link", "add", BRIDGE, "type", "bridge", "mcast_snooping", "0");
            run("ip", "link", "set", BRIDGE, "up");
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /** A new host on the bridge. */
    synchronized Host host() throws IOException {
        if (closed) {
            throw new IllegalStateException("the netns lab is closed");
        }
        int n = namespaces.size() + 1;
        String ns = PREFIX + "-" + n;
        String veth = veth(n);
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        run("ip", "link", "set", veth, "master", BRIDGE, "up");
        String address = NET + (n / 250) + "." + (n % 250 + 1);
        run("ip", "-n", ns, "addr", "add", address + "/16", "dev", "eth0");
        run("ip", "-n", ns, "link", "set", "lo", "up");
        run("ip", "-n", ns, "link", "set", "eth0", "up");
        run("ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", "eth0");
        return new Host(ns, address);
    }

    /** The namespaces it made, in order. */
    synchronized List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    /** Removes the hosts and the bridge; their processes must be gone already. */
    @Override
    public void close() {
        removeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs, or ran
        }
    }

    private synchronized void removeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        for (int n = 1; n <= namespaces.size(); n++) {
            // at once: a namespace's own interfaces go only when the kernel tears it down, later
            runQuietly("ip", "link", "del", veth(n));
            runQuietly("ip", "netns", "del", namespaces.get(n - 1));
        }
        runQuietly("ip", "link", "del", BRIDGE);
    }

    /** The bridge's side of host {@code n}'s link; interface names have at most 15 characters. */
    private static String veth(int n) {
        return "p3v" + n;
    }

    /** Namespaces, links and the bridge of a lab whose bench was killed, or whose namespaces linger. */
    static void removeLeftovers() throws IOException {
        for (String line : run("ip", "-o", "link", "show").split("\n")) {
            // "319: p3v1@if2: <BROADCAST,...": a namespace deleted a moment ago may still hold its pair
            String[] fields = line.trim().split(":\\s+|@", 3);
            if (fields.length > 1 && fields[1].matches("p3v[0-9]+")) {
                runQuietly("ip", "link", "del", fields[1]);
            }
        }
        for (String line : run("ip", "netns", "list").split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (name.startsWith(PREFIX + "-")) {
                runQuietly("ip", "netns", "del", name);
            }
        }
        runQuietly("ip", "link", "del", BRIDGE);
    }

    /** Runs an iproute2 command. @return its output @throws IOException naming the command when it fails */
    static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer within " + COMMAND_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.trim()
                    + " (the netns isolation needs root and iproute2)");
        }
        return out;
    }

    private static void runQuietly(String... command) {
        try {
            run(command);
        } catch (IOException e) {
            // already gone, or never made
        }
    }
}

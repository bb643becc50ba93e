package p3.transport.internal;

import java.lang.System.Logger.Level;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jgroups.JChannel;
import org.jgroups.protocols.BARRIER;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG2;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.PING;
import org.jgroups.protocols.SHARED_LOOPBACK;
import org.jgroups.protocols.SHARED_LOOPBACK_PING;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UDP;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;
import org.jgroups.util.TLSClientAuth;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

import p3.transport.CellGroup;
import p3.transport.CellGroupListener;
import p3.transport.CellGroups;
import p3.transport.GroupSettings;
import p3.transport.GroupSpec;
import p3.transport.TransportException;
import p3.transport.TransportStats;

/**
 * Cell groups on JGroups, with the protocol stack built in code from the configuration, so that no
 * XML has to be found across bundle class loaders.
 * <p>
 * Two pools serve every group of the runtime: joins (and leaves, which wait for the group's leave
 * protocol) run on an elastic pool, offers are handed to the groups by a small sender pool.
 */
@Component(service = CellGroups.class, immediate = true, configurationPid = JGroupsCellGroups.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = JGroupsCellGroups.Config.class)
public final class JGroupsCellGroups implements CellGroups {

    public static final String PID = "p3.transport.groups";

    @ObjectClassDefinition(name = "P3 cell groups", description = "Group communication inside a cell (JGroups)")
    public @interface Config {
        @AttributeDefinition(description = "Protocol stack of every cell group", options = {
                @Option(value = "udp", label = "IP multicast"), @Option(value = "tcp", label = "TCP with a member list"),
                @Option(value = "local", label = "In-JVM, no network") })
        String stack() default "udp";

        @AttributeDefinition(description = "Address the groups bind to")
        String bindAddress() default "127.0.0.1";

        @AttributeDefinition(description = "Multicast TTL of the udp stack (0 keeps it on this host)")
        int ipTtl() default 0;

        @AttributeDefinition(description = "First TCP port of the tcp stack")
        int tcpBindPort() default 7800;

        @AttributeDefinition(description = "Ports above tcpBindPort that the tcp stack and its member list try")
        int tcpPortRange() default 30;

        @AttributeDefinition(description = "Member list of the tcp stack: host[port],host[port]")
        String tcpInitialHosts() default "127.0.0.1[7800]";

        @AttributeDefinition(description = "Heartbeat interval of failure detection, in ms")
        int heartbeatMs() default 200;

        @AttributeDefinition(description = "A member silent for this long is suspected, in ms")
        int failureTimeoutMs() default 1000;

        @AttributeDefinition(description = "How long a suspicion is verified before the member is excluded, in ms")
        int verifySuspectMs() default 150;

        @AttributeDefinition(description = "How long a joiner looks for the group before founding it, in ms")
        int joinTimeoutMs() default 500;
    }

    private static final System.Logger LOG = System.getLogger(JGroupsCellGroups.class.getName());

    /** How long an idle pool thread stays: a burst of rejoins reuses threads, a quiet runtime holds none. */
    private static final long IDLE_SECONDS = 10;
    /** How often a member asks for what it misses. */
    private static final long XMIT_MS = 100;
    /** How often, on average, a member gossips the highest sequence numbers it has. */
    private static final long STABLE_GOSSIP_MS = 1000;
    /** Sender threads: a send waits only for flow-control credits, so a few keep every group moving. */
    private static final int SENDERS = 2;
    /**
     * How long a founder looks for members of a group it expects empty. A live member answers discovery
     * within a few ms on a LAN (1 to 3 ms on loopback here, tens under load); the whole join timeout
     * (500 ms) was most of the time a cell took to form again after a crash. One it misses merges later.
     */
    private static final long FOUNDING_JOIN_MS = 50;
    /** How long close() lets the groups leave, then the pools stop, each within this bound. */
    private static final long CLOSE_WAIT_MS = 3000;

    private final GroupSettings settings;
    /**
     * Joins and leaves. Elastic (a thread per join under way, none when idle): a join blocks for up
     * to the join timeout when it founds the group, and after a crash many peers rejoin at once; on
     * a bounded pool they would queue behind each other and a cell would take rounds of join
     * timeouts to form again. The verification of suspects probes on it too (blocking connects, rare).
     */
    private final ThreadPoolExecutor joinPool;
    /**
     * Drains the groups' offer queues, one group at a time per thread and a batch per turn, so that
     * the offering thread (a peer's serial executor) never waits for flow-control credits. Shared,
     * not a thread per group: a runtime hosts many peers and each is in a group or two. Two threads
     * on this two-core machine: one group stalled for credits does not stop the others, and more
     * threads would mostly contend for the same cores.
     */
    private final ThreadPoolExecutor sendPool;
    private final Set<JGroupsCellGroup> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** Refusals of the secured groups: untrusted members, messages that fail decryption or checks. */
    private final Counters counters = new Counters();
    private final Refusals refusals = new Refusals(counters, "cell group");

    @Activate
    public JGroupsCellGroups(Config c) {
        this(new GroupSettings(GroupSettings.Stack.parse(c.stack()), ConfigValues.address("bindAddress", c.bindAddress()),
                c.ipTtl(), c.tcpBindPort(), c.tcpPortRange(), ConfigValues.hosts("tcpInitialHosts", c.tcpInitialHosts()),
                c.heartbeatMs(), c.failureTimeoutMs(), c.verifySuspectMs(), c.joinTimeoutMs()));
    }

    public JGroupsCellGroups(GroupSettings settings) {
        this.settings = settings;
        this.joinPool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new Named("p3-group-join-"));
        this.sendPool = new ThreadPoolExecutor(SENDERS, SENDERS, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new Named("p3-group-send-"));
        sendPool.allowCoreThreadTimeOut(true);
    }

    /**
     * Leaves the groups still joined (each with a goodbye, all at once, within a bound; those that
     * did not make it crash), then stops the pools.
     */
    @Deactivate
    public void close() {
        closed = true;
        List<CompletableFuture<Void>> leaving = new ArrayList<>();
        for (JGroupsCellGroup g : live) {
            leaving.add(g.leaveAsync().toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(leaving.toArray(CompletableFuture[]::new)).get(CLOSE_WAIT_MS,
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.log(Level.WARNING, "cell groups: {0} groups did not leave within {1} ms, they crash", live.size(),
                    CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (JGroupsCellGroup g : live) {
            g.crash();
        }
        stop(sendPool);
        stop(joinPool);
    }

    private static void stop(ThreadPoolExecutor pool) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public TransportStats stats() {
        return counters;
    }

    @Override
    public String stack() {
        return settings.stack().name().toLowerCase(Locale.ROOT);
    }

    /** Joins on the calling thread, as before 1.1: the caller chose to wait. */
    @Override
    public CellGroup join(GroupSpec spec, CellGroupListener listener) throws TransportException {
        return connect(spec, listener);
    }

    @Override
    public CompletionStage<CellGroup> joinAsync(GroupSpec spec, CellGroupListener listener) {
        CompletableFuture<CellGroup> result = new CompletableFuture<>();
        try {
            joinPool.execute(() -> {
                try {
                    JGroupsCellGroup g = connect(spec, listener);
                    if (!result.complete(g)) {
                        g.leaveAsync(); // the caller cancelled meanwhile: nobody will use the group
                    }
                } catch (TransportException e) {
                    result.completeExceptionally(e);
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(new TransportException(spec.member() + ": cannot join cell group "
                            + spec.cluster() + ": " + e, e));
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(closed(spec, e));
        }
        return result;
    }

    private TransportException closed(GroupSpec spec, Exception cause) {
        return new TransportException(spec.member() + ": cannot join cell group " + spec.cluster()
                + ": the cell groups are closed", cause);
    }

    /** Connects a channel: blocks until this member is in a view (the join timeout when it founds the group). */
    private JGroupsCellGroup connect(GroupSpec spec, CellGroupListener listener) throws TransportException {
        if (closed) {
            throw closed(spec, null);
        }
        JGroupsCellGroup group = new JGroupsCellGroup(listener, sendPool, joinPool, live::remove);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // JGroups finds its own resources (magic map, protocol ids) through the context loader first
        thread.setContextClassLoader(JChannel.class.getClassLoader());
        JChannel channel = null;
        try {
            channel = new JChannel(protocols(spec, group));
            // no probe port: it would answer anyone who asks about the group (JChannel(List) turns it off
            // too, as of 5.5; said here so that it stays off whatever the version)
            channel.getProtocolStack().getTransport().getDiagnosticsHandler().setEnabled(false);
            channel.setName(spec.member());
            channel.setDiscardOwnMessages(true);
            group.attach(channel);
            channel.connect(spec.cluster());
        } catch (Exception e) {
            if (channel != null) {
                channel.close();
            }
            throw new TransportException(spec.member() + ": cannot join cell group " + spec.cluster() + " on the "
                    + stack() + " stack: " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
        live.add(group);
        if (closed) {
            // close() ran while this one connected, and did not see it
            group.closeNow();
            throw closed(spec, null);
        }
        return group;
    }

    /**
     * The stack, bottom first. With credentials ({@link GroupSpec#secure()}):
     * <ul>
     * <li>{@code udp}: {@link GroupKeyExchange} (SSL_KEY_EXCHANGE: the coordinator hands the group key
     * over mutual TLS 1.3 to holders of a mesh certificate only), {@link GroupEncrypt} (ASYM_ENCRYPT
     * with that key, AES/GCM) and {@link GroupSerialize} (SERIALIZE: the whole message, sequence
     * numbers included, under the encryption) right below NAKACK2, and {@link MeshAuth} (AUTH with a
     * signed {@link MeshAuthToken}) right below GMS. The key exchange alone does not keep a joiner
     * out: the coordinator's GMS admits a join request it can read, and join requests travel in the
     * clear; AUTH refuses it before GMS sees it.</li>
     * <li>{@code tcp}: TLS 1.3 on every connection of the transport, client certificates required
     * (JGroups' TCP {@code tls}); a peer without a mesh certificate gets no connection, so none of
     * its messages arrive. TLS keeps messages from being altered or replayed on a connection. AUTH
     * below GMS as on udp, so that a member's name is its certificate's PeerId.</li>
     * </ul>
     * Below the encryption, in the clear on both stacks as in JGroups' own secured stacks: discovery
     * (PING, TCPPING), merge discovery (MERGE3) and failure detection (FD_SOCK2, FD_ALL3): a forger
     * can delay the detection of a failure, not join, read or send.
     */
    private List<Protocol> protocols(GroupSpec spec, JGroupsCellGroup group) throws Exception {
        List<Protocol> stack = new ArrayList<>();
        boolean secure = spec.secure() && settings.stack() != GroupSettings.Stack.LOCAL;
        switch (settings.stack()) {
        case UDP -> {
            UDP udp = new UDP().setMulticastAddress(spec.multicast().getAddress())
                    .setMulticastPort(spec.multicast().getPort());
            udp.setMulticastTTL(settings.ipTtl());
            // within the kernel's default cap (4 MiB here), so that JGroups does not warn for every cell
            udp.setMcastRecvBufSize(2 << 20).setMcastSendBufSize(1 << 20).setUcastRecvBufSize(2 << 20)
                    .setUcastSendBufSize(1 << 20);
            stack.add(udp.setValue("bind_addr", settings.bindAddress()));
            stack.add(new PING());
        }
        case TCP -> {
            TCP tcp = new CellTcp();
            tcp.setValue("bind_addr", settings.bindAddress()).setValue("bind_port", settings.tcpBindPort())
                    .setValue("port_range", settings.tcpPortRange());
            if (secure) {
                tcp.tls().enabled(true).setSSLContext(GroupTls.context(spec.credentials(), refusals))
                        .setClientAuth(TLSClientAuth.NEED).setProtocols(new String[] { "TLSv1.3" });
                // a refused handshake is counted by GroupTls, not logged by the acceptor each time
                tcp.setValue("log_accept_error", false);
            }
            stack.add(tcp);
            stack.add(new TCPPING().setInitialHosts(settings.tcpInitialHosts()).setPortRange(settings.tcpPortRange()));
        }
        case LOCAL -> {
            stack.add(new SHARED_LOOPBACK());
            stack.add(new SHARED_LOOPBACK_PING());
        }
        }
        stack.add(new MERGE3());
        if (settings.stack() != GroupSettings.Stack.LOCAL) {
            // a crashed process's sockets close at once: FD_SOCK2 sees that; FD_ALL3 covers silent hosts
            stack.add(new FD_SOCK2().setBindAddress(settings.bindAddress()));
        }
        stack.add(new FD_ALL3().setTimeout(settings.failureTimeoutMs()).setInterval(settings.heartbeatMs()));
        stack.add(new SuspectTap(group::suspected));
        // a suspect whose failure-detection ports refuse connections is gone at once, not after the timeout
        stack.add(new VerifySuspect(joinPool, settings.verifySuspectMs()).setTimeout(settings.verifySuspectMs()));
        stack.add(new BARRIER());
        if (secure && settings.stack() == GroupSettings.Stack.UDP) {
            String local = spec.member();
            KeyPair own = new KeyPair(spec.credentials().chain()[0].getPublicKey(), spec.credentials().privateKey());
            stack.add(new GroupKeyExchange(spec.credentials().sslContext(), settings.bindAddress(), refusals, local));
            stack.add(new GroupEncrypt(own, refusals, local));
            stack.add(new GroupSerialize(refusals, local));
        }
        // a lost message is asked for again within XMIT_MS, not JGroups' second: a cell's records or a
        // replica that waits behind a gap holds up every later message of its sender (the first ones
        // a newcomer misses while it fetches the group key, say), and a cell serves real-time streams
        NAKACK2 nakack = new NAKACK2().setXmitInterval(XMIT_MS);
        nakack.setValue("use_mcast_xmit", settings.stack() == GroupSettings.Stack.UDP);
        stack.add(nakack);
        stack.add(new UNICAST3().setXmitInterval(XMIT_MS));
        // the highest sequence numbers go round this often, so that a lost last message shows too
        stack.add(new STABLE().setDesiredAverageGossip(STABLE_GOSSIP_MS));
        if (secure) {
            stack.add(new MeshAuth(new MeshAuthToken(spec.cluster(), spec.credentials(), refusals), refusals,
                    spec.member()));
        }
        long joinTimeout = spec.founding() ? Math.min(FOUNDING_JOIN_MS, settings.joinTimeoutMs()) : settings.joinTimeoutMs();
        stack.add(new GMS().setJoinTimeout(joinTimeout).setValue("print_local_addr", false));
        stack.add(new UFC());
        stack.add(new MFC());
        stack.add(new FRAG2());
        return stack;
    }

    /** Daemon threads named prefix + a number, as the thread dumps and tests look for them. */
    private static final class Named implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger next = new AtomicInteger(1);

        Named(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + next.getAndIncrement());
            t.setDaemon(true);
            return t;
        }
    }
}

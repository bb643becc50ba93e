package p3.transport.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.BasicTCP;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.stack.IpAddress;
import org.jgroups.util.NameCache;

/**
 * Double-checks a suspicion as VERIFY_SUSPECT2 does (an ARE_YOU_DEAD that a live member answers,
 * else the suspicion goes up after the timeout), and in the meantime looks for proof that the
 * member's stack is gone: its transport (TCP) or its failure-detection server (FD_SOCK2, over UDP)
 * refusing connections on every port it may listen on. A member refuses only once its sockets are closed, which a crashed
 * process's are at once; a hung or slow one still has its listening socket, whose backlog the
 * kernel keeps accepting into, and an unreachable host does not answer at all. So a refusal
 * excludes the member at once, and nothing else does: a suspicion without that proof waits for the
 * verification as before, which a live member cancels.
 * <p>
 * Why: the verification holds every suspicion for its whole timeout (150 ms by default) before the
 * coordinator may install the view without the member, and the cell-mates of a crashed super-peer
 * only learn of its crash from that view; its parent and children see their links reset within a
 * few ms. With the proof, the cell-mates hear of it within a few ms too.
 * <p>
 * The probes are blocking connects, run on {@code prober} (an elastic pool), never on a JGroups
 * thread. Stacks without FD_SOCK2 (the in-JVM one) verify as VERIFY_SUSPECT2 alone.
 */
final class VerifySuspect extends VERIFY_SUSPECT2 {

    private static final System.Logger LOG = System.getLogger(VerifySuspect.class.getName());

    /**
     * Probes of one suspicion, this far apart: the crashed member's stack may still be closing its
     * listening socket when its neighbour sees the connection close (FD_SOCK2 stops its server, then
     * the channel closes), so a probe that got in is tried again before the ordinary verification is
     * left to decide. Five probes 10 ms apart end well within that verification's timeout.
     */
    private static final int PROBES = 5;
    private static final long PROBE_GAP_MS = 10;

    private final Executor prober;
    private final int connectTimeoutMs;
    private final LongAdder proven = new LongAdder();
    private final LongAdder unproven = new LongAdder();
    private final Set<Address> probing = ConcurrentHashMap.newKeySet();

    /**
     * @param prober           where the probes run (they block for up to {@code connectTimeoutMs} each)
     * @param connectTimeoutMs how long a probe waits for a host that does not answer; no answer is no proof
     */
    VerifySuspect(Executor prober, int connectTimeoutMs) {
        this.prober = prober;
        this.connectTimeoutMs = connectTimeoutMs;
        // VERIFY_SUSPECT2's headers, under its id: members of either kind understand each other
        setId(ClassConfigurator.getProtocolId(VERIFY_SUSPECT2.class));
    }

    /** Members excluded on proof, without waiting for the verification's timeout. */
    long proven() {
        return proven.sum();
    }

    /** Suspicions whose probes found no proof: left to the verification. */
    long unproven() {
        return unproven.sum();
    }

    @Override
    public Object up(Event evt) {
        if (evt.getType() != Event.SUSPECT || evt.getArg() == null) {
            return super.up(evt);
        }
        Collection<Address> suspects = new ArrayList<>(evt.<Collection<Address>>getArg());
        Object result = super.up(evt); // the ordinary verification starts first: it decides when no proof comes
        for (Address suspect : suspects) {
            if (!suspect.equals(local_addr)) {
                lookForProof(suspect);
            }
        }
        return result;
    }

    private void lookForProof(Address suspect) {
        List<InetSocketAddress> ports = detectorPorts(suspect);
        // silence keeps raising the same suspicion every heartbeat: one search for proof at a time
        if (ports.isEmpty() || !probing.add(suspect)) {
            return;
        }
        try {
            prober.execute(() -> {
                try {
                    probe(suspect, ports);
                } finally {
                    probing.remove(suspect);
                }
            });
        } catch (RejectedExecutionException e) {
            probing.remove(suspect); // the cell groups are closing: the ordinary verification still runs
        }
    }

    private void probe(Address suspect, List<InetSocketAddress> ports) {
        for (int i = 0; i < PROBES; i++) {
            if (i > 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PROBE_GAP_MS)); // on the prober, bounded
            }
            if (allRefuse(ports)) {
                // removed here, so that the verification's own timeout does not raise it a second time; not
                // there any more: it answered, or a view or the timeout excluded it meanwhile
                if (removeSuspect(suspect)) {
                    proven.increment();
                    LOG.log(Level.INFO, "{0}: {1} refuses connections on {2}: failed",
                            name(local_addr), name(suspect), ports);
                    up_prot.up(new Event(Event.SUSPECT, List.of(suspect)));
                }
                return;
            }
        }
        unproven.increment();
    }

    /** True only if every port refuses: one that accepts, or does not answer, is no proof. */
    private boolean allRefuse(List<InetSocketAddress> ports) {
        for (InetSocketAddress a : ports) {
            try (Socket s = new Socket()) {
                s.setSoLinger(true, 0); // a reset on close: no TIME_WAIT left behind per probe
                s.connect(a, connectTimeoutMs);
                return false;
            } catch (ConnectException e) {
                // refused: nothing listens there
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the member's stack listens. On a TCP transport, its physical address itself, exactly. On
     * UDP, its FD_SOCK2 server: above its transport port by FD_SOCK2's offset, within its port range,
     * as FD_SOCK2 computes it for the member it watches (the tcp transports' consecutive ports would
     * put a live neighbour's server in that range; UDP's are ephemeral, and a live server in the range
     * only withholds the proof).
     */
    private List<InetSocketAddress> detectorPorts(Address member) {
        Object physical = down_prot.down(new Event(Event.GET_PHYSICAL_ADDRESS, member));
        if (!(physical instanceof IpAddress ip) || ip.getIpAddress() == null) {
            return List.of();
        }
        if (getTransport() instanceof BasicTCP) {
            return List.of(new InetSocketAddress(ip.getIpAddress(), ip.getPort()));
        }
        FD_SOCK2 fd = getProtocolStack().findProtocol(FD_SOCK2.class);
        if (fd == null) {
            return List.of();
        }
        int min = (Integer) fd.getValue("min_port");
        int max = (Integer) fd.getValue("max_port");
        List<InetSocketAddress> out = new ArrayList<>(fd.getPortRange());
        for (int i = 0; i < fd.getPortRange(); i++) {
            int port = (ip.getPort() + fd.getOffset() + i) % max;
            if (port < min) {
                port += min;
            }
            out.add(new InetSocketAddress(ip.getIpAddress(), port));
        }
        return out;
    }

    private static String name(Address a) {
        String n = NameCache.get(a);
        return n != null ? n : a.toString();
    }
}

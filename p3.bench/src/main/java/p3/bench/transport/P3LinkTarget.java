package p3.bench.transport;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import p3.security.PeerCredentials;
import p3.security.Role;
import p3.security.ca.MeshCa;

import p3.transport.DiscoverySettings;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.GroupSettings;
import p3.transport.Link;
import p3.transport.LinkHandler;
import p3.transport.LinkServer;
import p3.transport.LinkSettings;
import p3.transport.LinkSettings.TlsProvider;
import p3.transport.Links;
import p3.transport.StandaloneTransport;
import p3.transport.TrafficClass;

/**
 * A P3 link: a sender peer connects one {@link TrafficClass#EVENT} link to a receiver peer's
 * {@link LinkServer}, both on one {@link Links} with the default settings, as two peers of one
 * runtime would. In the clear, or as two peers with credentials of one {@link MeshCa}: TLS 1.3
 * with mutual authentication, by the JDK's provider or OpenSSL's (BoringSSL through
 * netty-tcnative), the handshake done before the target is returned.
 */
final class P3LinkTarget implements BenchTarget {

    static final String SENDER = "bench-sender";
    static final String RECEIVER = "bench-receiver";
    static final String CELL = "0.1";
    /** Netty names the event loop threads of the transport's {@link Links} after this. */
    static final String LOOP_PREFIX = "p3-link";
    /** Length field, magic, version, type, class, flags, sequence, sendNanos, four id lengths. */
    private static final int FIXED_HEADER = 4 + 2 + 1 + 1 + 1 + 1 + 8 + 8 + 4;

    private final StandaloneTransport transport;
    private final Links links;
    private final int payloadBytes;
    private LinkServer server;
    private Link link;

    private P3LinkTarget(StandaloneTransport transport, int payloadBytes) {
        this.transport = transport;
        this.links = transport.links();
        this.payloadBytes = payloadBytes;
    }

    /** A link in the clear. */
    static BenchTarget plain(int ioThreads, int payloadBytes, Arrivals arrivals) throws Exception {
        return open(ioThreads, TlsProvider.JDK, null, null, payloadBytes, arrivals);
    }

    /** An opener of a link over TLS by {@code provider}, the two peers' certificates issued by a new CA. */
    static BenchTarget.Opener tls(TlsProvider provider) {
        return (ioThreads, payloadBytes, arrivals) -> {
            MeshCa ca = MeshCa.create("bench", Duration.ofDays(1));
            return open(ioThreads, provider, credentials(ca, SENDER), credentials(ca, RECEIVER), payloadBytes,
                    arrivals);
        };
    }

    private static PeerCredentials credentials(MeshCa ca, String peer) throws GeneralSecurityException {
        return ca.issue(peer, Role.SUPER, Duration.ofDays(1));
    }

    /** Both ends in the clear when the credentials are null, else over TLS. */
    private static BenchTarget open(int ioThreads, TlsProvider provider, PeerCredentials sender,
            PeerCredentials receiver, int payloadBytes, Arrivals arrivals) throws Exception {
        P3LinkTarget t = new P3LinkTarget(StandaloneTransport.open(settings(ioThreads, provider),
                GroupSettings.defaults(), DiscoverySettings.defaults()), payloadBytes);
        try {
            LinkHandler onReceiver = (link, frame) -> arrivals.arrived(frame.sequence(), frame.sendNanos(),
                    System.nanoTime());
            InetSocketAddress any = new InetSocketAddress(Loopback.ADDRESS, 0);
            t.server = receiver == null ? t.links.listen(any, RECEIVER, onReceiver)
                    : t.links.listen(any, receiver, onReceiver);
            LinkHandler onSender = (link, frame) -> {
                // the receiver sends nothing back
            };
            t.link = (sender == null ? t.links.connect(t.server.address(), SENDER, TrafficClass.EVENT, onSender)
                    : t.links.connect(t.server.address(), sender, TrafficClass.EVENT, onSender))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            return t;
        } catch (Exception | Error e) {
            t.close();
            throw e;
        }
    }

    /** The transport's defaults, with the bench's thread count and TLS provider. */
    static LinkSettings settings(int ioThreads, TlsProvider provider) {
        LinkSettings d = LinkSettings.defaults().withTlsProvider(provider);
        if (ioThreads == d.ioThreads()) {
            return d;
        }
        return new LinkSettings(ioThreads, d.tcpNoDelay(), d.maxFrameLength(), d.lowWaterMark(), d.highWaterMark(),
                d.connectTimeoutMs(), d.heartbeatMs(), d.idleTimeoutMs(), d.ipTos(), d.tlsProvider());
    }

    @Override
    public boolean send(long sequence, long sendNanos) {
        return link.send(new Frame(FrameType.DATA, TrafficClass.EVENT, 0, SENDER, CELL, RECEIVER, CELL, sequence,
                sendNanos, BenchTarget.payload(payloadBytes, sendNanos, sequence)));
    }

    @Override
    public boolean isWritable() {
        return link.isWritable();
    }

    @Override
    public String loopThreadPrefix() {
        return LOOP_PREFIX;
    }

    @Override
    public int wireBytesPerFrame() {
        int ids = utf8(SENDER) + utf8(CELL) + utf8(RECEIVER) + utf8(CELL);
        return FIXED_HEADER + ids + payloadBytes;
    }

    private static int utf8(String id) {
        return id.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public void close() {
        // the server first: LinkServer.close() looks up the NettyLink of each accepted channel, and throws a
        // NullPointerException when that channel is being torn down meanwhile (by our link's FIN, say)
        try {
            if (server != null) {
                server.close();
            }
            if (link != null) {
                link.close();
            }
        } finally {
            transport.close();
        }
    }
}

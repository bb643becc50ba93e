package p3.transport.internal;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import p3.transport.Discovery;
import p3.transport.DiscoveryEndpoint;
import p3.transport.DiscoverySettings;
import p3.transport.DiscoverySpec;
import p3.transport.TransportException;
import p3.transport.TransportStats;

/**
 * Discovery over UDP datagrams: one event loop for the endpoints of every peer of the runtime. An
 * endpoint opened with credentials signs what it sends and refuses what is not signed by its
 * mesh, stale or replayed ({@link UdpDiscoveryEndpoint}); refusals are counted in {@link #stats()}
 * and logged at a bounded rate.
 */
@Component(service = Discovery.class, immediate = true, configurationPid = UdpDiscovery.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = UdpDiscovery.Config.class)
public final class UdpDiscovery implements Discovery {

    private static final System.Logger LOG = System.getLogger(UdpDiscovery.class.getName());

    public static final String PID = "p3.transport.discovery";

    @ObjectClassDefinition(name = "P3 discovery", description = "Discovery datagrams (UDP multicast and unicast)")
    public @interface Config {
        @AttributeDefinition(description = "Address the unicast sockets bind to; its interface carries multicast")
        String bindAddress() default "127.0.0.1";

        @AttributeDefinition(description = "Multicast TTL (0 keeps requests on this host)")
        int ipTtl() default 1;

        @AttributeDefinition(description = "How far a signed datagram's timestamp may be from this host's clock, "
                + "either way, in ms; it also bounds how long nonces are remembered")
        long freshnessMs() default 10_000;

        @AttributeDefinition(description = "How many recent nonces each endpoint remembers at most; a signed "
                + "datagram that finds the cache full is refused")
        int replayCacheSize() default DiscoverySettings.DEFAULT_REPLAY_CACHE_SIZE;

        @AttributeDefinition(description = "How long a sender's checked certificate is trusted before it is "
                + "checked again (CA, validity, revocation), in ms")
        long certificateRecheckMs() default 5_000;
    }

    private final InetAddress bindAddress;
    private final NetworkInterface multicastInterface;
    private final EventLoopGroup loop;
    private final Counters counters = new Counters();
    private final DiscoverySettings settings;
    private final RefusalLog refusals = new RefusalLog(LOG, System.nanoTime());

    @Activate
    public UdpDiscovery(Config c) {
        this(new DiscoverySettings(ConfigValues.address("bindAddress", c.bindAddress()), c.ipTtl(),
                Duration.ofMillis(c.freshnessMs()), c.replayCacheSize(), Duration.ofMillis(c.certificateRecheckMs())));
    }

    public UdpDiscovery(DiscoverySettings settings) {
        this.settings = settings;
        this.bindAddress = settings.bindAddress();
        try {
            this.multicastInterface = NetworkInterface.getByInetAddress(bindAddress);
        } catch (SocketException e) {
            throw new IllegalArgumentException("bindAddress " + bindAddress + " has no usable interface: " + e);
        }
        if (multicastInterface == null) {
            throw new IllegalArgumentException("bindAddress " + bindAddress + " is not an address of this host");
        }
        this.loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("p3-discovery", true),
                NioIoHandler.newFactory());
        // the summary of refusals is told even when the flood stops; guarded, or the timer would die
        loop.scheduleAtFixedRate(() -> {
            try {
                refusals.flush(System.nanoTime());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "discovery: telling the refusals failed", e);
            }
        }, RefusalLog.PERIOD_NANOS, RefusalLog.PERIOD_NANOS, TimeUnit.NANOSECONDS);
    }

    @Deactivate
    public void close() {
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Datagrams refused: as not ours, under {@link p3.transport.Rejection#BAD_DATAGRAM}; by an endpoint
     * with credentials, under {@code UNSIGNED}, {@code BAD_SIGNATURE}, {@code UNTRUSTED}, {@code STALE},
     * {@code REPLAYED} or {@code REPLAY_CACHE_FULL}.
     */
    @Override
    public TransportStats stats() {
        return counters;
    }

    @Override
    public DiscoveryEndpoint open(DiscoverySpec spec) throws TransportException {
        return UdpDiscoveryEndpoint.open(spec, settings, loop, bindAddress, multicastInterface, counters, refusals);
    }
}

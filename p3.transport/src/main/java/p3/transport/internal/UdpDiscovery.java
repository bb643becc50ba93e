package p3.transport.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
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

/** Discovery over UDP datagrams: one event loop for the endpoints of every peer of the runtime. */
@Component(service = Discovery.class, immediate = true, configurationPid = UdpDiscovery.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = UdpDiscovery.Config.class)
public final class UdpDiscovery implements Discovery {

    public static final String PID = "p3.transport.discovery";

    @ObjectClassDefinition(name = "P3 discovery", description = "Discovery datagrams (UDP multicast and unicast)")
    public @interface Config {
        @AttributeDefinition(description = "Address the unicast sockets bind to; its interface carries multicast")
        String bindAddress() default "127.0.0.1";

        @AttributeDefinition(description = "Multicast TTL (0 keeps requests on this host)")
        int ipTtl() default 1;
    }

    private final InetAddress bindAddress;
    private final NetworkInterface multicastInterface;
    private final int ipTtl;
    private final EventLoopGroup loop;
    private final Counters counters = new Counters();

    @Activate
    public UdpDiscovery(Config c) {
        this(new DiscoverySettings(ConfigValues.address("bindAddress", c.bindAddress()), c.ipTtl()));
    }

    public UdpDiscovery(DiscoverySettings settings) {
        this.bindAddress = settings.bindAddress();
        this.ipTtl = settings.ipTtl();
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
    }

    @Deactivate
    public void close() {
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Datagrams refused as not ours, under {@link p3.transport.Rejection#BAD_DATAGRAM}. */
    public TransportStats stats() {
        return counters;
    }

    @Override
    public DiscoveryEndpoint open(DiscoverySpec spec) throws TransportException {
        return UdpDiscoveryEndpoint.open(spec, loop, bindAddress, multicastInterface, ipTtl, counters);
    }
}

package p3.transport.internal;

import java.util.ArrayList;
import java.util.List;

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
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
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

/**
 * Cell groups on JGroups, with the protocol stack built in code from the configuration, so that no
 * XML has to be found across bundle class loaders.
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

    private final GroupSettings settings;

    @Activate
    public JGroupsCellGroups(Config c) {
        this(new GroupSettings(GroupSettings.Stack.parse(c.stack()), ConfigValues.address("bindAddress", c.bindAddress()),
                c.ipTtl(), c.tcpBindPort(), c.tcpPortRange(), ConfigValues.hosts("tcpInitialHosts", c.tcpInitialHosts()),
                c.heartbeatMs(), c.failureTimeoutMs(), c.verifySuspectMs(), c.joinTimeoutMs()));
    }

    public JGroupsCellGroups(GroupSettings settings) {
        this.settings = settings;
    }

    @Override
    public String stack() {
        return settings.stack().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public CellGroup join(GroupSpec spec, CellGroupListener listener) throws TransportException {
        JGroupsCellGroup group = new JGroupsCellGroup(listener);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // JGroups finds its own resources (magic map, protocol ids) through the context loader first
        thread.setContextClassLoader(JChannel.class.getClassLoader());
        JChannel channel = null;
        try {
            channel = new JChannel(protocols(spec, group));
            channel.setName(spec.member());
            channel.setDiscardOwnMessages(true);
            group.attach(channel);
            channel.connect(spec.cluster());
            return group;
        } catch (Exception e) {
            if (channel != null) {
                channel.close();
            }
            throw new TransportException(spec.member() + ": cannot join cell group " + spec.cluster() + " on the "
                    + stack() + " stack: " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private List<Protocol> protocols(GroupSpec spec, JGroupsCellGroup group) throws Exception {
        List<Protocol> stack = new ArrayList<>();
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
            stack.add(new TCP().setValue("bind_addr", settings.bindAddress())
                    .setValue("bind_port", settings.tcpBindPort()).setValue("port_range", settings.tcpPortRange()));
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
        stack.add(new VERIFY_SUSPECT2().setTimeout(settings.verifySuspectMs()));
        stack.add(new BARRIER());
        stack.add(new NAKACK2().setValue("use_mcast_xmit", settings.stack() == GroupSettings.Stack.UDP));
        stack.add(new UNICAST3());
        stack.add(new STABLE());
        stack.add(new GMS().setJoinTimeout(settings.joinTimeoutMs()).setValue("print_local_addr", false));
        stack.add(new UFC());
        stack.add(new MFC());
        stack.add(new FRAG2());
        return stack;
    }
}

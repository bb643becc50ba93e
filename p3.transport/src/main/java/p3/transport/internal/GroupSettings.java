package p3.transport.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The settings of the cell groups, checked once: a bad value names its property.
 *
 * @param stack           which JGroups stack every group of this runtime uses
 * @param bindAddress     the interface JGroups binds to
 * @param ipTtl           multicast TTL of the {@code udp} stack
 * @param tcpBindPort     first port the {@code tcp} stack tries
 * @param tcpPortRange    how many ports above it the {@code tcp} stack and its member list try
 * @param tcpInitialHosts the member list of the {@code tcp} stack
 * @param heartbeatMs     heartbeat interval of failure detection
 * @param failureTimeoutMs a member silent for this long is suspected
 * @param verifySuspectMs how long a suspicion is checked before the member is excluded
 * @param joinTimeoutMs   how long a joiner looks for a coordinator before founding the group
 */
public record GroupSettings(Stack stack, InetAddress bindAddress, int ipTtl, int tcpBindPort, int tcpPortRange,
        List<InetSocketAddress> tcpInitialHosts, int heartbeatMs, int failureTimeoutMs, int verifySuspectMs,
        int joinTimeoutMs) {

    /** The protocol stacks a cell group can run on. */
    public enum Stack {
        /** IP multicast, as in the report. */
        UDP,
        /** TCP with a member list, for networks without multicast. */
        TCP,
        /** In-JVM transport, for tests that need no network. */
        LOCAL;

        static Stack parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("stack must be udp, tcp or local: " + value);
            }
        }
    }

    public GroupSettings {
        tcpInitialHosts = List.copyOf(tcpInitialHosts);
        if (ipTtl < 0 || ipTtl > 255) {
            throw new IllegalArgumentException("ipTtl must be within 0..255: " + ipTtl);
        }
        if (tcpBindPort < 1 || tcpBindPort > 65535) {
            throw new IllegalArgumentException("tcpBindPort must be within 1..65535: " + tcpBindPort);
        }
        if (tcpPortRange < 1) {
            throw new IllegalArgumentException("tcpPortRange must be positive: " + tcpPortRange);
        }
        if (stack == Stack.TCP && tcpInitialHosts.isEmpty()) {
            throw new IllegalArgumentException("tcpInitialHosts must list at least one host for the tcp stack");
        }
        LinkSettings.positive("heartbeatMs", heartbeatMs);
        if (failureTimeoutMs <= heartbeatMs) {
            throw new IllegalArgumentException(
                    "failureTimeoutMs (" + failureTimeoutMs + ") must be larger than heartbeatMs (" + heartbeatMs + ")");
        }
        LinkSettings.positive("verifySuspectMs", verifySuspectMs);
        LinkSettings.positive("joinTimeoutMs", joinTimeoutMs);
    }

    /** Defaults for a LAN on loopback: IP multicast, a failed member excluded within about a second. */
    public static GroupSettings defaults() {
        return new GroupSettings(Stack.UDP, InetAddress.getLoopbackAddress(), 0, 7800, 30,
                List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 7800)), 200, 1000, 150, 500);
    }

    public GroupSettings withStack(Stack s) {
        return new GroupSettings(s, bindAddress, ipTtl, tcpBindPort, tcpPortRange, tcpInitialHosts, heartbeatMs,
                failureTimeoutMs, verifySuspectMs, joinTimeoutMs);
    }

    public GroupSettings withTcp(int bindPort, int portRange, List<InetSocketAddress> initialHosts) {
        return new GroupSettings(Stack.TCP, bindAddress, ipTtl, bindPort, portRange, initialHosts, heartbeatMs,
                failureTimeoutMs, verifySuspectMs, joinTimeoutMs);
    }

    public GroupSettings withFailureDetection(int heartbeat, int failureTimeout, int verifySuspect) {
        return new GroupSettings(stack, bindAddress, ipTtl, tcpBindPort, tcpPortRange, tcpInitialHosts, heartbeat,
                failureTimeout, verifySuspect, joinTimeoutMs);
    }

    static InetAddress address(String property, String value) {
        try {
            return InetAddress.getByName(value.trim());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(property + " is not an address: " + value);
        }
    }

    /** Parses {@code host[port],host[port]} or {@code host:port,host:port}. */
    static List<InetSocketAddress> hosts(String property, String value) {
        List<InetSocketAddress> hosts = new ArrayList<>();
        for (String item : value.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int open = s.indexOf('[');
            int colon = s.lastIndexOf(':');
            String host;
            String port;
            if (open > 0 && s.endsWith("]")) {
                host = s.substring(0, open);
                port = s.substring(open + 1, s.length() - 1);
            } else if (colon > 0) {
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            } else {
                throw new IllegalArgumentException(property + ": expected host[port] or host:port, got " + s);
            }
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + ": bad port in " + s);
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException(property + ": port out of range in " + s);
            }
            hosts.add(new InetSocketAddress(address(property, host), p));
        }
        return hosts;
    }
}

package p3.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

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
 * @since 1.1 (in the implementation before)
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

        /** Parses {@code udp}, {@code tcp} or {@code local}, in any case. */
        public static Stack parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("stack must be udp, tcp or local: " + value);
            }
        }
    }

    public GroupSettings {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(bindAddress, "bindAddress");
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
}

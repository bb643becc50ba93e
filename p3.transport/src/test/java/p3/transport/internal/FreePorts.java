package p3.transport.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import p3.transport.PortRuns;

/** Ports free on loopback now, for tests that must name a port up front. */
final class FreePorts {
    private FreePorts() {
    }

    /** A TCP port with {@code count - 1} free ports above it. */
    static int tcp(int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                base = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (base + count <= 65535 && allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no run of " + count + " free ports");
    }

    /** A UDP port with {@code count - 1} free UDP ports above it (for a tree of cells). */
    static int udp(int count) {
        return PortRuns.freeUdp(count);
    }

    private static boolean allFree(int base, int count) {
        for (int p = base; p < base + count; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                // free
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}

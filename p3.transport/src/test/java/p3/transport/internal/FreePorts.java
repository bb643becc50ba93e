package p3.transport.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

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
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                base = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (base + count > 65535) {
                continue;
            }
            boolean free = true;
            for (int p = base + 1; p < base + count && free; p++) {
                try (DatagramSocket s = new DatagramSocket(p, InetAddress.getLoopbackAddress())) {
                    // free
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no run of " + count + " free UDP ports");
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

package p3.transport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Finds base ports for a mesh whose cells use {@code base + tree_pos}: a run of UDP ports that are
 * free now. Meshes started side by side (tests, a local mesh) take one each and never meet.
 */
public final class PortRuns {

    private PortRuns() {
    }

    /**
     * @return the first of {@code count} consecutive UDP ports free on the wildcard address
     * @throws IllegalStateException when no such run is found after a hundred tries
     */
    public static int freeUdp(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base;
            try (DatagramSocket s = new DatagramSocket(0)) {
                base = s.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("cannot open a UDP socket: " + e.getMessage(), e);
            }
            if (base + count <= 65535 && allFree(base + 1, count - 1)) {
                return base;
            }
        }
        throw new IllegalStateException("no run of " + count + " free UDP ports");
    }

    private static boolean allFree(int from, int count) {
        for (int p = from; p < from + count; p++) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress((InetAddress) null, p))) {
                // free
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}

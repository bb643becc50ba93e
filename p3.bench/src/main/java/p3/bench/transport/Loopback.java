package p3.bench.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The only address the benchmarks bind and connect to. */
final class Loopback {

    static final InetAddress ADDRESS = ipv4();

    private Loopback() {
    }

    private static InetAddress ipv4() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] { 127, 0, 0, 1 });
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen with four bytes
        }
    }
}

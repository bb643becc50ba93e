package p3.transport;

/**
 * The settings of the link transport, checked once: a bad value names its property.
 *
 * @param ioThreads        event loop threads shared by all links of the runtime
 * @param tcpNoDelay       true disables Nagle's algorithm
 * @param maxFrameLength   largest frame accepted, header included, in bytes
 * @param lowWaterMark     outbound bytes under which a full link accepts frames again
 * @param highWaterMark    outbound bytes over which a link refuses frames
 * @param connectTimeoutMs how long a connection, its TLS handshake and its HELLO exchange may take: the
 *                         bound on one that never ends. The mesh gives up on a parent sooner, on timers
 *                         that grow when the machine is slow; at 2 s, this bound had cut every attempt
 *                         short on a busy machine, where handshakes queue for seconds
 * @param heartbeatMs      a MESH link that sent nothing for this long sends a heartbeat; links of the
 *                         other classes send none (see idleTimeoutMs)
 * @param idleTimeoutMs    a MESH link that received nothing for this long is dead, and closes. Links of
 *                         the other classes are not closed for silence: the liveness of a pair of peers
 *                         rides on their MESH link, and the mesh closes the pair's other links when it
 *                         dies, so that a hung peer is still found within this time. Heartbeats on
 *                         every link took most of the event loops at scale (thousands of links in one
 *                         process, the receiving end of each data link writing only heartbeats)
 * @param ipTos            mark each class's sockets with its DSCP
 * @param tlsProvider      which TLS implementation secures the links of peers with credentials (since 1.2)
 * @since 1.1 (in the implementation before)
 */
public record LinkSettings(int ioThreads, boolean tcpNoDelay, int maxFrameLength, int lowWaterMark,
        int highWaterMark, int connectTimeoutMs, int heartbeatMs, int idleTimeoutMs, boolean ipTos,
        TlsProvider tlsProvider) {

    /**
     * The TLS implementations a link can use.
     *
     * @since 1.2
     */
    public enum TlsProvider {
        /** The JDK's own (SunJSSE): no native code, the default. */
        JDK,
        /** OpenSSL or BoringSSL through netty-tcnative, when its native library is on the class path. */
        OPENSSL;

        /** Parses {@code jdk} or {@code openssl}, in any case. */
        public static TlsProvider parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("tlsProvider must be jdk or openssl: " + value);
            }
        }
    }

    /**
     * The longest header a frame can have, in bytes after the length field: the fixed fields of the
     * wire format (26 bytes) and four identifiers of 255 bytes. A value here, not a reference to the
     * codec, so that the API does not depend on the implementation; a test of the codec checks that
     * both agree.
     */
    public static final int FULL_HEADER = 26 + 4 * 255;

    public LinkSettings {
        java.util.Objects.requireNonNull(tlsProvider, "tlsProvider");
        positive("ioThreads", ioThreads);
        if (maxFrameLength < FULL_HEADER) {
            throw new IllegalArgumentException("maxFrameLength must hold at least a full header (" + FULL_HEADER
                    + " bytes): " + maxFrameLength);
        }
        positive("writeBufferLowWaterMark", lowWaterMark);
        if (highWaterMark <= lowWaterMark) {
            throw new IllegalArgumentException("writeBufferHighWaterMark (" + highWaterMark
                    + ") must be larger than writeBufferLowWaterMark (" + lowWaterMark + ")");
        }
        positive("connectTimeoutMs", connectTimeoutMs);
        positive("heartbeatMs", heartbeatMs);
        if (idleTimeoutMs <= heartbeatMs) {
            throw new IllegalArgumentException(
                    "idleTimeoutMs (" + idleTimeoutMs + ") must be larger than heartbeatMs (" + heartbeatMs + ")");
        }
    }

    /** Settings with the JDK's TLS. */
    public LinkSettings(int ioThreads, boolean tcpNoDelay, int maxFrameLength, int lowWaterMark, int highWaterMark,
            int connectTimeoutMs, int heartbeatMs, int idleTimeoutMs, boolean ipTos) {
        this(ioThreads, tcpNoDelay, maxFrameLength, lowWaterMark, highWaterMark, connectTimeoutMs, heartbeatMs,
                idleTimeoutMs, ipTos, TlsProvider.JDK);
    }

    /** Settings with each class's sockets marked with its DSCP. */
    public LinkSettings(int ioThreads, boolean tcpNoDelay, int maxFrameLength, int lowWaterMark, int highWaterMark,
            int connectTimeoutMs, int heartbeatMs, int idleTimeoutMs) {
        this(ioThreads, tcpNoDelay, maxFrameLength, lowWaterMark, highWaterMark, connectTimeoutMs, heartbeatMs,
                idleTimeoutMs, true);
    }

    /** Defaults for a LAN: Nagle off, 1 MiB frames, 1 MiB of outbound buffer per link. */
    public static LinkSettings defaults() {
        return new LinkSettings(2, true, 1 << 20, 256 << 10, 1 << 20, 8000, 200, 1000, true, TlsProvider.JDK);
    }

    public LinkSettings withTcpNoDelay(boolean on) {
        return new LinkSettings(ioThreads, on, maxFrameLength, lowWaterMark, highWaterMark, connectTimeoutMs,
                heartbeatMs, idleTimeoutMs, ipTos, tlsProvider);
    }

    /** @since 1.2 */
    public LinkSettings withTlsProvider(TlsProvider provider) {
        return new LinkSettings(ioThreads, tcpNoDelay, maxFrameLength, lowWaterMark, highWaterMark, connectTimeoutMs,
                heartbeatMs, idleTimeoutMs, ipTos, provider);
    }

    public LinkSettings withWaterMarks(int low, int high) {
        return new LinkSettings(ioThreads, tcpNoDelay, maxFrameLength, low, high, connectTimeoutMs, heartbeatMs,
                idleTimeoutMs, ipTos, tlsProvider);
    }

    static void positive(String property, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(property + " must be positive: " + value);
        }
    }
}

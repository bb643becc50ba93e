package p3.transport;

/** Why input from the network was refused. Each is counted in {@link TransportStats#rejections()}. */
public enum Rejection {
    BAD_MAGIC, BAD_VERSION, TOO_LONG, TRUNCATED, UNKNOWN_TYPE, UNKNOWN_CLASS, BAD_IDENTIFIER, NO_HELLO,
    /** A datagram of the discovery protocol that could not be read. */
    BAD_DATAGRAM,
    /**
     * A connection whose TLS handshake failed: no certificate, one this mesh's CA did not issue, or
     * one expired or revoked.
     *
     * @since 1.2
     */
    UNTRUSTED_PEER,
    /** A link whose HELLO names another peer than its certificate. @since 1.2 */
    IMPERSONATION
}

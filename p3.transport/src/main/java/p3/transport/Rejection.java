package p3.transport;

/** Why input from the network was refused. Each is counted in {@link TransportStats#rejections()}. */
public enum Rejection {
    BAD_MAGIC, BAD_VERSION, TOO_LONG, TRUNCATED, UNKNOWN_TYPE, UNKNOWN_CLASS, BAD_IDENTIFIER, NO_HELLO,
    /** A datagram of the discovery protocol that could not be read. */
    BAD_DATAGRAM,
    /**
     * A member that could not prove it belongs to the mesh: a cell join (or merge) without a valid
     * token of a certificate of this mesh's CA, or a TLS handshake of a cell group that failed.
     *
     * @since 1.2
     */
    UNTRUSTED_MEMBER,
    /**
     * A cell group message that failed decryption or verification, or came in the clear where the
     * group is secured, or from a non-member.
     *
     * @since 1.2
     */
    BAD_GROUP_MESSAGE
}

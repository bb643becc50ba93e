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
    IMPERSONATION,
    /**
     * A datagram without a signature where one is required (discovery with credentials).
     *
     * @since 1.2
     */
    UNSIGNED,
    /**
     * A signature that does not match what it signs, or cannot be read.
     *
     * @since 1.2
     */
    BAD_SIGNATURE,
    /**
     * A signature by a certificate this mesh does not trust: another CA's, expired, not yet valid,
     * revoked, or not a peer's.
     *
     * @since 1.2
     */
    UNTRUSTED,
    /**
     * A signed datagram whose timestamp is outside the freshness window.
     *
     * @since 1.2
     */
    STALE,
    /**
     * A signed datagram whose nonce was seen already within the freshness window: a replay.
     *
     * @since 1.2
     */
    REPLAYED,
    /**
     * A signed datagram refused because the receiver's cache of recent nonces was full (a flood of
     * validly signed datagrams): refusing is safe, forgetting a fresh nonce would let its replay in.
     *
     * @since 1.2
     */
    REPLAY_CACHE_FULL,
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

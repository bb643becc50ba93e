package p3.transport;

/** Why a link closed. */
public enum CloseReason {
    /** This side called {@link Link#close()}. */
    CLOSED,
    /** This side called {@link Link#abort()}, or its listener or transport was aborted. */
    ABORTED,
    /** The other side closed the connection (end of stream). */
    REMOTE_CLOSED,
    /** The connection failed: reset by the peer or an I/O error. */
    RESET,
    /** Nothing arrived within the idle timeout: the peer or the network is gone. */
    IDLE,
    /** The other side sent something that is not a valid frame; see {@link Rejection}. */
    PROTOCOL_ERROR,
    /** The transport is shutting down. */
    SHUTDOWN
}

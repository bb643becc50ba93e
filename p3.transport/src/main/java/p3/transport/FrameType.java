package p3.transport;

/** What a frame carries. The code is the byte on the wire; any other code is a protocol error. */
public enum FrameType {
    /** First frame on a connection: names the connecting peer and the traffic class of the link. */
    HELLO(1),
    /** Traffic payload of a class (audio, video, event). */
    DATA(2),
    /** Mesh control message (membership, routing requests); the payload is the mesh's encoding. */
    CONTROL(3),
    /** Acknowledgement of a fault-tolerant message, travelling down from the root. */
    ACK(4),
    /** Keeps an idle link alive; never reaches the link's handler. */
    HEARTBEAT(5);

    private static final FrameType[] ALL = values(); // values() copies: not on the decode path

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @return the type of that wire code, or {@code null} when the code is unknown */
    public static FrameType ofCode(int code) {
        for (FrameType t : ALL) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}

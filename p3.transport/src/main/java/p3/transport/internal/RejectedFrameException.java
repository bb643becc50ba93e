package p3.transport.internal;

import io.netty.handler.codec.CorruptedFrameException;
import p3.transport.Rejection;

/** Input that is not a frame of ours; the connection that sent it is closed. */
final class RejectedFrameException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    final transient Rejection reason;

    RejectedFrameException(Rejection reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }
}

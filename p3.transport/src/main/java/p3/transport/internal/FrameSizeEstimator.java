package p3.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.MessageSizeEstimator;
import p3.transport.Frame;

/**
 * Sizes a queued {@link Frame} by its bytes on the wire. Netty's default counts an unknown message
 * as 8 bytes, so the write watermarks let some thirty times too many frames queue before a link
 * refuses, and that hidden queue is latency.
 */
final class FrameSizeEstimator implements MessageSizeEstimator {

    static final FrameSizeEstimator INSTANCE = new FrameSizeEstimator();

    private static final Handle HANDLE = msg -> {
        if (msg instanceof Frame f) {
            return WireFormat.LENGTH_FIELD + WireFormat.MIN_HEADER + f.sourcePeer().length() + f.sourceCell().length()
                    + f.targetPeer().length() + f.targetCell().length() + f.payload().length;
        }
        if (msg instanceof ByteBuf b) {
            return b.readableBytes();
        }
        return DefaultMessageSizeEstimator.DEFAULT.newHandle().size(msg);
    };

    @Override
    public Handle newHandle() {
        return HANDLE;
    }
}

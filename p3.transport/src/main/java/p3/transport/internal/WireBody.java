package p3.transport.internal;

import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import p3.transport.Frame;

/**
 * The payload of a frame read from a link: the rest of the frame's slice of what the socket read,
 * reference-counted by Netty, so that a relay forwards it without copying it onto the heap.
 */
final class WireBody implements Frame.Body {

    private final ByteBuf buf;
    private final int offset;
    private final int length;

    /** Takes over the caller's reference; the payload is {@code buf}'s readable bytes. */
    WireBody(ByteBuf buf) {
        this.buf = buf;
        this.offset = buf.readerIndex();
        this.length = buf.readableBytes();
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public ByteBuffer view() {
        return buf.nioBuffer(offset, length).asReadOnlyBuffer();
    }

    void writeTo(ByteBuf out) {
        out.writeBytes(buf, offset, length);
    }

    @Override
    public void retain() {
        buf.retain();
    }

    @Override
    public boolean release() {
        return buf.release();
    }
}

package p3.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import p3.transport.Frame;

/**
 * Writes {@link Frame}s in the {@link WireFormat}, on the sender's thread, into one buffer of the
 * link's allocator: a payload in the transport's memory is copied from buffer to buffer, never
 * through the heap. Stateless, so that any thread may send on a link; the identifiers are written
 * as UTF-8 straight from their strings.
 */
final class FrameEncoder {

    private FrameEncoder() {
    }

    /**
     * @return the frame on the wire, which the caller writes or releases
     * @throws IllegalArgumentException when an identifier is longer than {@link Frame#MAX_ID_BYTES}
     */
    static ByteBuf encode(ByteBufAllocator alloc, Frame f) {
        int sp = idBytes(f.sourcePeer());
        int sc = idBytes(f.sourceCell());
        int tp = idBytes(f.targetPeer());
        int tc = idBytes(f.targetCell());
        int size = WireFormat.LENGTH_FIELD + WireFormat.MIN_HEADER + sp + sc + tp + tc + f.payloadLength();
        ByteBuf out = alloc.ioBuffer(size);
        out.writeInt(size - WireFormat.LENGTH_FIELD);
        out.writeShort(WireFormat.MAGIC);
        out.writeByte(WireFormat.VERSION);
        out.writeByte(f.type().code());
        out.writeByte(f.trafficClass().code());
        out.writeByte(f.flags());
        out.writeLong(f.sequence());
        out.writeLong(f.sendNanos());
        writeId(out, sp, f.sourcePeer());
        writeId(out, sc, f.sourceCell());
        writeId(out, tp, f.targetPeer());
        writeId(out, tc, f.targetCell());
        Frame.Body body = f.body();
        if (body instanceof WireBody w) {
            w.writeTo(out);
        } else if (body != null) {
            out.writeBytes(body.view());
        } else {
            out.writeBytes(f.payload()); // the frame's own array, not a copy
        }
        return out;
    }

    private static int idBytes(String id) {
        int n = ByteBufUtil.utf8Bytes(id);
        if (n > Frame.MAX_ID_BYTES) {
            throw new IllegalArgumentException("identifier longer than " + Frame.MAX_ID_BYTES + " bytes: " + id);
        }
        return n;
    }

    private static void writeId(ByteBuf out, int bytes, String id) {
        out.writeByte(bytes);
        ByteBufUtil.writeUtf8(out, id);
    }
}

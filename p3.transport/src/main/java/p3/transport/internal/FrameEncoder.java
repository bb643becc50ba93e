package p3.transport.internal;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;
import p3.transport.Frame;

/**
 * Writes {@link Frame}s in the {@link WireFormat}. Not sharable: it remembers the encoding of the
 * identifiers it saw last, since a link carries the same few peers and cells over and over.
 */
final class FrameEncoder extends MessageToByteEncoder<Frame> {

    private final IdEncoding[] ids = { new IdEncoding(), new IdEncoding(), new IdEncoding(), new IdEncoding() };
    private final Counters counters;

    FrameEncoder(Counters counters) {
        super(Frame.class);
        this.counters = counters;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame frame, boolean preferDirect) {
        return ctx.alloc().ioBuffer(WireFormat.LENGTH_FIELD + WireFormat.MIN_HEADER + 64 + frame.payload().length);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame f, ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0); // length, patched below
        out.writeShort(WireFormat.MAGIC);
        out.writeByte(WireFormat.VERSION);
        out.writeByte(f.type().code());
        out.writeByte(f.trafficClass().code());
        out.writeByte(f.flags());
        out.writeLong(f.sequence());
        out.writeLong(f.sendNanos());
        writeId(out, 0, f.sourcePeer());
        writeId(out, 1, f.sourceCell());
        writeId(out, 2, f.targetPeer());
        writeId(out, 3, f.targetCell());
        out.writeBytes(f.payload());
        int size = out.writerIndex() - start;
        out.setInt(start, size - WireFormat.LENGTH_FIELD);
        counters.framesSent.increment();
        counters.bytesSent.add(size);
    }

    private void writeId(ByteBuf out, int slot, String id) {
        byte[] bytes = ids[slot].bytes(id);
        out.writeByte(bytes.length);
        out.writeBytes(bytes);
    }

    private static final class IdEncoding {
        private String last;
        private byte[] lastBytes;

        byte[] bytes(String id) {
            if (!id.equals(last)) {
                byte[] b = id.getBytes(StandardCharsets.UTF_8);
                if (b.length > Frame.MAX_ID_BYTES) {
                    throw new EncoderException("identifier longer than " + Frame.MAX_ID_BYTES + " bytes: " + id);
                }
                last = id;
                lastBytes = b;
            }
            return lastBytes;
        }
    }
}

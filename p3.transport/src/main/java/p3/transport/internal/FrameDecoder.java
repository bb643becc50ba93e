package p3.transport.internal;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.Rejection;
import p3.transport.TrafficClass;

/**
 * Reads {@link Frame}s in the {@link WireFormat}; a frame's payload is its slice of the read buffer,
 * released by the link once its handler returns. Garbage raises a {@link RejectedFrameException}
 * that names its {@link Rejection}; the link closes on it. Not sharable (it keeps a partial frame
 * and the identifiers it decoded last, so that a steady stream allocates no strings).
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {

    private final IdCache[] ids = { new IdCache(), new IdCache(), new IdCache(), new IdCache() };
    private final Counters counters;

    FrameDecoder(int maxFrameLength, Counters counters) {
        // length excludes itself; fail fast so that an oversized length is refused before buffering
        super(maxFrameLength + WireFormat.LENGTH_FIELD, 0, WireFormat.LENGTH_FIELD, 0, WireFormat.LENGTH_FIELD, true);
        this.counters = counters;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        ByteBuf body;
        try {
            body = (ByteBuf) super.decode(ctx, in);
        } catch (TooLongFrameException e) {
            throw new RejectedFrameException(Rejection.TOO_LONG, e.getMessage());
        } catch (CorruptedFrameException e) {
            // negative or zero length field
            throw new RejectedFrameException(Rejection.TRUNCATED, e.getMessage());
        }
        if (body == null) {
            return null;
        }
        int size = body.readableBytes() + WireFormat.LENGTH_FIELD;
        Frame frame;
        try {
            frame = parse(body);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        counters.framesReceived.increment();
        counters.bytesReceived.add(size);
        return frame;
    }

    private Frame parse(ByteBuf b) {
        if (b.readableBytes() < 2) {
            throw new RejectedFrameException(Rejection.TRUNCATED, "frame of " + b.readableBytes() + " bytes");
        }
        int magic = b.readUnsignedShort();
        if (magic != WireFormat.MAGIC) {
            throw new RejectedFrameException(Rejection.BAD_MAGIC, String.format("magic 0x%04x", magic));
        }
        if (b.readableBytes() < WireFormat.MIN_HEADER - 2) {
            throw new RejectedFrameException(Rejection.TRUNCATED, "header of " + (b.readableBytes() + 2) + " bytes");
        }
        int version = b.readUnsignedByte();
        if (version != WireFormat.VERSION) {
            throw new RejectedFrameException(Rejection.BAD_VERSION, "version " + version);
        }
        int typeCode = b.readUnsignedByte();
        FrameType type = FrameType.ofCode(typeCode);
        if (type == null) {
            throw new RejectedFrameException(Rejection.UNKNOWN_TYPE, "frame type " + typeCode);
        }
        int classCode = b.readUnsignedByte();
        TrafficClass cls = TrafficClass.ofCode(classCode);
        if (cls == null) {
            throw new RejectedFrameException(Rejection.UNKNOWN_CLASS, "traffic class " + classCode);
        }
        int flags = b.readUnsignedByte();
        long sequence = b.readLong();
        long sendNanos = b.readLong();
        String sourcePeer = readId(b, 0);
        String sourceCell = readId(b, 1);
        String targetPeer = readId(b, 2);
        String targetCell = readId(b, 3);
        // the payload stays where the socket put it: the frame holds the slice's reference from here on
        return Frame.withBody(type, cls, flags, sourcePeer, sourceCell, targetPeer, targetCell, sequence, sendNanos,
                new WireBody(b));
    }

    private String readId(ByteBuf b, int slot) {
        if (!b.isReadable()) {
            throw new RejectedFrameException(Rejection.TRUNCATED, "identifier " + slot + " missing");
        }
        int len = b.readUnsignedByte();
        if (b.readableBytes() < len) {
            throw new RejectedFrameException(Rejection.TRUNCATED,
                    "identifier " + slot + " of " + len + " bytes, " + b.readableBytes() + " left");
        }
        return ids[slot].read(b, len);
    }

    /** The last identifier seen in one header slot, reused while the bytes stay the same. */
    private static final class IdCache {
        private byte[] bytes = new byte[0];
        private String value = "";

        String read(ByteBuf b, int len) {
            int at = b.readerIndex();
            boolean same = len == bytes.length;
            for (int i = 0; same && i < len; i++) {
                same = b.getByte(at + i) == bytes[i];
            }
            if (!same) {
                byte[] fresh = new byte[len];
                b.getBytes(at, fresh);
                String s = new String(fresh, StandardCharsets.UTF_8);
                if (s.indexOf('\uFFFD') >= 0) {
                    throw new RejectedFrameException(Rejection.BAD_IDENTIFIER, "identifier is not UTF-8");
                }
                bytes = fresh;
                value = s;
            }
            b.skipBytes(len);
            return value;
        }
    }
}

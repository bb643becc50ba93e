package p3.transport.internal;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * One discovery datagram, version 1:
 *
 * <pre>
 * +-------+-----+------+------------+------+------+---------+
 * | magic | ver | kind | request id | cell length | cell | payload |
 * |   2   |  1  |  1   |     8      |      1      |  n   |  rest   |
 * +-------+-----+------+------------+------+------+---------+
 * </pre>
 *
 * @param request true for a request, false for a reply
 */
record DiscoveryDatagram(boolean request, long id, String cellId, byte[] payload) {

    static final int MAGIC = 0x5044; // "PD"
    static final int VERSION = 1;
    static final int MAX_PAYLOAD = 60_000;

    void write(ByteBuf out) {
        byte[] cell = cellId.getBytes(StandardCharsets.US_ASCII);
        out.writeShort(MAGIC);
        out.writeByte(VERSION);
        out.writeByte(request ? 1 : 2);
        out.writeLong(id);
        out.writeByte(cell.length);
        out.writeBytes(cell);
        out.writeBytes(payload);
    }

    /** @return the datagram, or {@code null} when the bytes are not one of ours */
    static DiscoveryDatagram read(ByteBuf in) {
        if (in.readableBytes() < 2 + 1 + 1 + 8 + 1 || in.readUnsignedShort() != MAGIC
                || in.readUnsignedByte() != VERSION) {
            return null;
        }
        int kind = in.readUnsignedByte();
        if (kind != 1 && kind != 2) {
            return null;
        }
        long id = in.readLong();
        int cellLength = in.readUnsignedByte();
        if (in.readableBytes() < cellLength) {
            return null;
        }
        String cell = in.readCharSequence(cellLength, StandardCharsets.US_ASCII).toString();
        byte[] payload = new byte[in.readableBytes()];
        in.readBytes(payload);
        return new DiscoveryDatagram(kind == 1, id, cell, payload);
    }
}

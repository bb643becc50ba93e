package p3.transport.internal;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * One discovery datagram. Version 1, in the clear:
 *
 * <pre>
 * +-------+-----+------+------------+-------------+------+---------+
 * | magic | ver | kind | request id | cell length | cell | payload |
 * |   2   |  1  |  1   |     8      |      1      |  n   |  rest   |
 * +-------+-----+------+------------+-------------+------+---------+
 * </pre>
 *
 * Version 2, signed: the same fields, the payload now with its length, then the seal. The
 * signature covers every byte before its own length; the certificate is the sender's alone (DER),
 * the receiver knows the CA through its trust.
 *
 * <pre>
 * +-------+-----+------+------------+-------------+------+----------------+---------+
 * | magic | ver | kind | request id | cell length | cell | payload length | payload |
 * |   2   |  1  |  1   |     8      |      1      |  n   |       2        |    p    |
 * +-------+-----+------+------------+-------------+------+----------------+---------+
 * +-----------+-------+-------------+-------------+------------------+-----------+
 * | timestamp | nonce | cert length | certificate | signature length | signature |
 * | 8 (ms)    |  16   |      2      |      c      |        1         |     s     |
 * +-----------+-------+-------------+-------------+------------------+-----------+
 * </pre>
 *
 * The signature is ECDSA with SHA-256 in its DER form (70 to 72 bytes for P-256); nothing may follow it.
 *
 * @param request true for a request, false for a reply
 * @param seal    what a version 2 datagram carried besides, {@code null} for version 1
 */
record DiscoveryDatagram(boolean request, long id, String cellId, byte[] payload, Seal seal) {

    static final int MAGIC = 0x5044; // "PD"
    static final int VERSION = 1;
    static final int SIGNED_VERSION = 2;
    static final int MAX_PAYLOAD = 60_000;
    static final int NONCE_LENGTH = 16;
    /** A P-256 peer certificate is about 500 bytes; 4 KiB leaves room and bounds what is parsed. */
    static final int MAX_CERTIFICATE = 4096;
    /** The largest DER ECDSA signature a 1-byte length can carry; P-256's are at most 72. */
    static final int MAX_SIGNATURE = 255;

    /**
     * What a signed datagram carries besides its fields.
     *
     * @param signed the bytes the signature covers
     */
    record Seal(long timestamp, byte[] nonce, byte[] certificate, byte[] signed, byte[] signature) {
    }

    DiscoveryDatagram(boolean request, long id, String cellId, byte[] payload) {
        this(request, id, cellId, payload, null);
    }

    /** Writes version 1, in the clear. */
    void write(ByteBuf out) {
        writeFields(out, VERSION);
        out.writeBytes(payload);
    }

    /**
     * Writes version 2 up to the signature: what {@link #writeSignature} signs.
     *
     * @param certificate the sender's certificate, DER
     */
    void writeSigned(ByteBuf out, long timestamp, byte[] nonce, byte[] certificate) {
        if (nonce.length != NONCE_LENGTH || certificate.length > MAX_CERTIFICATE) {
            throw new IllegalArgumentException("nonce of " + nonce.length + " bytes, certificate of "
                    + certificate.length);
        }
        writeFields(out, SIGNED_VERSION);
        out.writeShort(payload.length);
        out.writeBytes(payload);
        out.writeLong(timestamp);
        out.writeBytes(nonce);
        out.writeShort(certificate.length);
        out.writeBytes(certificate);
    }

    static void writeSignature(ByteBuf out, byte[] signature) {
        if (signature.length > MAX_SIGNATURE) {
            throw new IllegalArgumentException("signature of " + signature.length + " bytes");
        }
        out.writeByte(signature.length);
        out.writeBytes(signature);
    }

    private void writeFields(ByteBuf out, int version) {
        byte[] cell = cellId.getBytes(StandardCharsets.US_ASCII);
        out.writeShort(MAGIC);
        out.writeByte(version);
        out.writeByte(request ? 1 : 2);
        out.writeLong(id);
        out.writeByte(cell.length);
        out.writeBytes(cell);
    }

    /** @return the datagram, or {@code null} when the bytes are not one of ours (a version 1 or 2) */
    static DiscoveryDatagram read(ByteBuf in) {
        int start = in.readerIndex();
        if (in.readableBytes() < 2 + 1 + 1 + 8 + 1 || in.readUnsignedShort() != MAGIC) {
            return null;
        }
        int version = in.readUnsignedByte();
        if (version != VERSION && version != SIGNED_VERSION) {
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
        if (version == VERSION) {
            byte[] payload = new byte[in.readableBytes()];
            in.readBytes(payload);
            return new DiscoveryDatagram(kind == 1, id, cell, payload);
        }
        if (in.readableBytes() < 2) {
            return null;
        }
        int payloadLength = in.readUnsignedShort();
        if (payloadLength > MAX_PAYLOAD || in.readableBytes() < payloadLength + 8 + NONCE_LENGTH + 2) {
            return null;
        }
        byte[] payload = new byte[payloadLength];
        in.readBytes(payload);
        long timestamp = in.readLong();
        byte[] nonce = new byte[NONCE_LENGTH];
        in.readBytes(nonce);
        int certLength = in.readUnsignedShort();
        if (certLength == 0 || certLength > MAX_CERTIFICATE || in.readableBytes() < certLength + 1) {
            return null;
        }
        byte[] certificate = new byte[certLength];
        in.readBytes(certificate);
        int signedLength = in.readerIndex() - start;
        int signatureLength = in.readUnsignedByte();
        if (signatureLength == 0 || in.readableBytes() != signatureLength) {
            return null; // missing, cut or with bytes after it
        }
        byte[] signature = new byte[signatureLength];
        in.readBytes(signature);
        byte[] signed = new byte[signedLength];
        in.getBytes(start, signed);
        return new DiscoveryDatagram(kind == 1, id, cell, payload,
                new Seal(timestamp, nonce, certificate, signed, signature));
    }
}

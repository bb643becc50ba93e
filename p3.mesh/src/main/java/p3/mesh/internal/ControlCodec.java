package p3.mesh.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import p3.mesh.CellId;
import p3.mesh.PeerIds;
import p3.mesh.PeerRole;
import p3.transport.Frame;

/**
 * Bytes of a {@link Control}: a version byte, the kind, the id, the text, the records, and an
 * optional frame. Control traffic is rare next to data, so plain data streams do.
 */
final class ControlCodec {

    private static final int VERSION = 1;
    private static final int MAX_RECORDS = 100_000;
    /** Bytes of the shortest record: a one-character PeerId, its role, empty cell and parent, address, port, epoch. */
    private static final int MIN_RECORD_BYTES = 3 + 1 + 2 + 2 + 4 + 2 + 8;

    private final int span;

    ControlCodec(int span) {
        this.span = span;
    }

    byte[] encode(Control c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 48 * c.records().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(c.kind().ordinal());
            out.writeLong(c.id());
            out.writeUTF(c.text());
            out.writeInt(c.records().size());
            for (PeerRecord r : c.records()) {
                out.writeUTF(r.peer());
                out.writeByte(r.role().ordinal());
                out.writeUTF(r.cell() == null ? "" : r.cell().toString());
                out.writeUTF(r.parent());
                out.write(r.links().getAddress().getAddress());
                out.writeShort(r.links().getPort());
                out.writeLong(r.epoch());
            }
            out.writeBoolean(c.frame() != null);
            if (c.frame() != null) {
                FtCodec.writeFrame(out, c.frame());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws MalformedControlException when the bytes are not a control message of this mesh
     */
    Control decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new MalformedControlException("control version " + version);
            }
            int kind = in.readUnsignedByte();
            if (kind >= Control.Kind.values().length) {
                throw new MalformedControlException("control kind " + kind);
            }
            long id = in.readLong();
            String text = FtCodec.readUtf(in);
            int count = in.readInt();
            // no more records than the bytes can hold: a short message must not make us allocate for 100,000
            if (count < 0 || count > Math.min(MAX_RECORDS, bytes.length / MIN_RECORD_BYTES)) {
                throw new MalformedControlException("record count " + count);
            }
            List<PeerRecord> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String peer = PeerIds.check(FtCodec.readUtf(in));
                int role = in.readUnsignedByte();
                if (role >= PeerRole.values().length) {
                    throw new MalformedControlException("role " + role);
                }
                String cell = FtCodec.readUtf(in);
                String parent = FtCodec.readUtf(in);
                byte[] addr = new byte[4];
                in.readFully(addr);
                int port = in.readUnsignedShort();
                long epoch = in.readLong();
                records.add(new PeerRecord(peer, PeerRole.values()[role], cell.isEmpty() ? null : CellId.of(cell, span),
                        parent, new InetSocketAddress(InetAddress.getByAddress(addr), port), epoch));
            }
            Frame frame = null;
            if (in.readBoolean()) {
                frame = FtCodec.readFrame(in, bytes.length);
            }
            return new Control(Control.Kind.values()[kind], id, text, records, frame);
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedControlException(reason(e));
        }
    }

    /** Why bytes could not be read, for the log: an EOFException has no message of its own. */
    static String reason(Exception e) {
        if (e instanceof EOFException) {
            return "truncated";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** Bytes that are not a control message; counted and dropped by the peer. */
    static final class MalformedControlException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedControlException(String message) {
            super(message);
        }
    }
}

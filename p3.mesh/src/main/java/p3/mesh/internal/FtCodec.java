package p3.mesh.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import p3.mesh.PeerIds;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

/**
 * Bytes of fault tolerance: the payload of an ACK frame (acknowledged sequence ranges of one
 * stream, by class) and a replica sent to the cell (messages held by the sender, and ranges
 * acknowledged). A replica starts with {@link #REPLICA_TAG}, which no control message starts with,
 * so that both share the cell's group.
 */
final class FtCodec {

    /** First byte of a replica; control messages start with their version, 1. */
    static final byte REPLICA_TAG = 'F';
    private static final int VERSION = 1;
    private static final int MAX_ITEMS = 1 << 20;

    /** Acknowledged ranges of one stream, by class. */
    record Ack(Map<TrafficClass, Ranges> ranges) {
    }

    /** A message held by the sender, and where it came from. */
    record Held(Frame frame, String from) {
    }

    /** An acknowledged range of a stream's class. */
    record Acked(PendingStore.Stream stream, TrafficClass cls, long lo, long hi) {
    }

    /** What the sender's store gained and lost since its last replica. */
    record Replica(List<Held> held, List<Acked> acked) {
    }

    private FtCodec() {
    }

    static byte[] ack(Map<TrafficClass, Ranges> byClass) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(byClass.size());
            for (Map.Entry<TrafficClass, Ranges> e : byClass.entrySet()) {
                Ranges r = e.getValue();
                out.writeByte(e.getKey().code());
                out.writeInt(r.count());
                for (int i = 0; i < r.count(); i++) {
                    out.writeLong(r.lo(i));
                    out.writeLong(r.hi(i));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws ControlCodec.MalformedControlException when the bytes are not an acknowledgement */
    static Ack ack(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            version(in);
            int classes = in.readUnsignedByte();
            Map<TrafficClass, Ranges> out = new EnumMap<>(TrafficClass.class);
            for (int c = 0; c < classes; c++) {
                TrafficClass cls = trafficClass(in.readUnsignedByte());
                int n = count(in.readInt(), payload.length / 16);
                Ranges r = new Ranges();
                for (int i = 0; i < n; i++) {
                    r.add(in.readLong(), in.readLong());
                }
                out.put(cls, r);
            }
            return new Ack(out);
        } catch (IOException e) {
            throw new ControlCodec.MalformedControlException("acknowledgement: " + ControlCodec.reason(e));
        }
    }

    static byte[] replica(List<Held> held, List<Acked> acked) {
        int estimate = 16 + 40 * acked.size();
        for (Held h : held) {
            estimate += 96 + h.frame().payloadLength();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(estimate);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(REPLICA_TAG);
            out.writeByte(VERSION);
            out.writeInt(held.size());
            for (Held h : held) {
                writeFrame(out, h.frame());
                out.writeUTF(h.from());
            }
            out.writeInt(acked.size());
            for (Acked a : acked) {
                out.writeUTF(a.stream().origin());
                out.writeUTF(a.stream().target());
                out.writeByte(a.cls().code());
                out.writeLong(a.lo());
                out.writeLong(a.hi());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static boolean isReplica(byte[] payload) {
        return payload.length > 0 && payload[0] == REPLICA_TAG;
    }

    /** @throws ControlCodec.MalformedControlException when the bytes are not a replica */
    static Replica replica(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readByte() != REPLICA_TAG) {
                throw new ControlCodec.MalformedControlException("not a replica");
            }
            version(in);
            int n = count(in.readInt(), payload.length);
            List<Held> held = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Frame f = readFrame(in, payload.length);
                held.add(new Held(f, readUtf(in)));
            }
            int m = count(in.readInt(), payload.length);
            List<Acked> acked = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                PendingStore.Stream s = new PendingStore.Stream(PeerIds.check(readUtf(in)), PeerIds.check(readUtf(in)));
                acked.add(new Acked(s, trafficClass(in.readUnsignedByte()), in.readLong(), in.readLong()));
            }
            return new Replica(held, acked);
        } catch (IOException | IllegalArgumentException e) {
            throw new ControlCodec.MalformedControlException("replica: " + ControlCodec.reason(e));
        }
    }

    static void writeFrame(DataOutput out, Frame f) throws IOException {
        out.writeByte(f.type().code());
        out.writeByte(f.trafficClass().code());
        out.writeByte(f.flags());
        out.writeUTF(f.sourcePeer());
        out.writeUTF(f.sourceCell());
        out.writeUTF(f.targetPeer());
        out.writeUTF(f.targetCell());
        out.writeLong(f.sequence());
        out.writeLong(f.sendNanos());
        out.writeInt(f.payloadLength());
        out.write(f.payload()); // a copy only for a frame read from a link: a routed one, or a replica's
    }

    static Frame readFrame(DataInputStream in, int maxLength) throws IOException {
        FrameType type = FrameType.ofCode(in.readUnsignedByte());
        TrafficClass cls = TrafficClass.ofCode(in.readUnsignedByte());
        if (type == null || cls == null) {
            throw new ControlCodec.MalformedControlException("frame of unknown type or class");
        }
        int flags = in.readUnsignedByte();
        String sp = readUtf(in);
        String sc = readUtf(in);
        String tp = readUtf(in);
        String tc = readUtf(in);
        long seq = in.readLong();
        long nanos = in.readLong();
        int length = in.readInt();
        if (length < 0 || length > maxLength) {
            throw new ControlCodec.MalformedControlException("frame payload of " + length + " bytes");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(type, cls, flags, sp, sc, tp, tc, seq, nanos, payload);
    }

    /**
     * {@link DataInputStream#readUTF()}, refusing a length beyond the bytes left before anything is
     * allocated for it: readUTF would allocate some 200 KiB for a string that a 12-byte message
     * claims, and these bytes come from anyone.
     */
    static String readUtf(DataInputStream in) throws IOException {
        in.mark(2);
        int length = in.readUnsignedShort();
        if (length > in.available()) {
            throw new EOFException();
        }
        in.reset();
        return in.readUTF();
    }

    private static void version(DataInput in) throws IOException {
        int v = in.readUnsignedByte();
        if (v != VERSION) {
            throw new ControlCodec.MalformedControlException("fault-tolerance version " + v);
        }
    }

    private static TrafficClass trafficClass(int code) {
        TrafficClass cls = TrafficClass.ofCode(code);
        if (cls == null) {
            throw new ControlCodec.MalformedControlException("traffic class " + code);
        }
        return cls;
    }

    private static int count(int n, int max) {
        if (n < 0 || n > Math.min(max, MAX_ITEMS)) {
            throw new ControlCodec.MalformedControlException("count " + n);
        }
        return n;
    }
}

package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

class FtCodecTest {

    static Ranges ranges(long... bounds) {
        Ranges r = new Ranges();
        for (int i = 0; i < bounds.length; i += 2) {
            r.add(bounds[i], bounds[i + 1]);
        }
        return r;
    }

    static List<String> text(Ranges r) {
        return java.util.stream.IntStream.range(0, r.count()).mapToObj(i -> r.lo(i) + "-" + r.hi(i)).toList();
    }

    /** A frame with every field set to something other than its default. */
    static Frame fullFrame(FrameType type, TrafficClass cls, long seq) {
        return new Frame(type, cls, 0xA5, "sensor-1", "0121", "client.x_9", "0", seq, -123456789L,
                new byte[] { 1, 2, 3, (byte) 0xFF, 0 });
    }

    static byte[] sampleAck() {
        Map<TrafficClass, Ranges> m = new EnumMap<>(TrafficClass.class);
        m.put(TrafficClass.AUDIO, ranges(1, 10, 12, 12));
        m.put(TrafficClass.EVENT, ranges(Long.MIN_VALUE, -1, 5, Long.MAX_VALUE));
        return FtCodec.ack(m);
    }

    static byte[] sampleReplica() {
        return FtCodec.replica(
                List.of(new FtCodec.Held(fullFrame(FrameType.DATA, TrafficClass.VIDEO, 7), "sp-child"),
                        new FtCodec.Held(fullFrame(FrameType.DATA, TrafficClass.EVENT, 8), "")),
                List.of(new FtCodec.Acked(new PendingStore.Stream("sensor-1", "client"), TrafficClass.AUDIO, 3, 9)));
    }

    // ---------------------------------------------------------------------------------------
    // Round trips

    @Test
    void anAckOfSeveralClassesAndRangesSurvives() {
        FtCodec.Ack back = FtCodec.ack(sampleAck());
        assertThat(back.ranges()).containsOnlyKeys(TrafficClass.AUDIO, TrafficClass.EVENT);
        assertThat(text(back.ranges().get(TrafficClass.AUDIO))).containsExactly("1-10", "12-12");
        assertThat(text(back.ranges().get(TrafficClass.EVENT)))
                .containsExactly(Long.MIN_VALUE + "--1", "5-" + Long.MAX_VALUE);
    }

    @Test
    void anAckOfEveryClassAndOfNoneSurvives() {
        Map<TrafficClass, Ranges> all = new EnumMap<>(TrafficClass.class);
        for (TrafficClass c : TrafficClass.values()) {
            all.put(c, ranges(c.code(), c.code() + 100));
        }
        all.put(TrafficClass.VIDEO, new Ranges()); // a class with no range
        FtCodec.Ack back = FtCodec.ack(FtCodec.ack(all));
        assertThat(back.ranges()).containsOnlyKeys(TrafficClass.values());
        assertThat(back.ranges().get(TrafficClass.VIDEO).isEmpty()).isTrue();
        assertThat(text(back.ranges().get(TrafficClass.EVENT))).containsExactly("3-103");

        assertThat(FtCodec.ack(FtCodec.ack(Map.of())).ranges()).isEmpty();
    }

    @Test
    void aReplicaWithEveryFieldSurvives() {
        byte[] bytes = sampleReplica();
        assertThat(FtCodec.isReplica(bytes)).isTrue();
        FtCodec.Replica back = FtCodec.replica(bytes);

        assertThat(back.held()).hasSize(2);
        FtCodec.Held h = back.held().get(0);
        Frame f = h.frame();
        Frame sent = fullFrame(FrameType.DATA, TrafficClass.VIDEO, 7);
        assertThat(h.from()).isEqualTo("sp-child");
        assertThat(f.type()).isEqualTo(sent.type());
        assertThat(f.trafficClass()).isEqualTo(TrafficClass.VIDEO);
        assertThat(f.flags()).isEqualTo(0xA5);
        assertThat(f.sourcePeer()).isEqualTo("sensor-1");
        assertThat(f.sourceCell()).isEqualTo("0121");
        assertThat(f.targetPeer()).isEqualTo("client.x_9");
        assertThat(f.targetCell()).isEqualTo("0");
        assertThat(f.sequence()).isEqualTo(7);
        assertThat(f.sendNanos()).isEqualTo(-123456789L);
        assertThat(f.payload()).containsExactly(1, 2, 3, 0xFF, 0);
        assertThat(back.held().get(1).from()).as("a message that began at the sender").isEmpty();
        assertThat(back.held().get(1).frame().trafficClass()).isEqualTo(TrafficClass.EVENT);

        assertThat(back.acked()).containsExactly(
                new FtCodec.Acked(new PendingStore.Stream("sensor-1", "client"), TrafficClass.AUDIO, 3, 9));
    }

    @Test
    void framesOfEveryTypeAndClassSurviveInAReplica() {
        for (FrameType type : FrameType.values()) {
            for (TrafficClass cls : TrafficClass.values()) {
                Frame f = new Frame(type, cls, 0, "", "", "", "", 0, 0, null); // empty ids and payload
                FtCodec.Replica back = FtCodec.replica(FtCodec.replica(List.of(new FtCodec.Held(f, "x")), List.of()));
                assertThat(back.held().get(0).frame().type()).isEqualTo(type);
                assertThat(back.held().get(0).frame().trafficClass()).isEqualTo(cls);
                assertThat(back.held().get(0).frame().payload()).isEmpty();
            }
        }
    }

    @Test
    void emptyReplicasSurvive() {
        FtCodec.Replica none = FtCodec.replica(FtCodec.replica(List.of(), List.of()));
        assertThat(none.held()).isEmpty();
        assertThat(none.acked()).isEmpty();

        FtCodec.Replica onlyAcked = FtCodec.replica(FtCodec.replica(List.of(),
                List.of(new FtCodec.Acked(new PendingStore.Stream("a", "b"), TrafficClass.MESH, 1, 1))));
        assertThat(onlyAcked.held()).isEmpty();
        assertThat(onlyAcked.acked()).hasSize(1);
    }

    @Test
    void aReplicaIsToldFromAControlMessage() {
        byte[] control = new ControlCodec(2).encode(Control.of(Control.Kind.CELL, 1, "01"));
        assertThat(FtCodec.isReplica(control)).isFalse();
        assertThat(FtCodec.isReplica(new byte[0])).isFalse();
        assertThat(FtCodec.isReplica(sampleAck())).isFalse();
    }

    // ---------------------------------------------------------------------------------------
    // Malformed input: always MalformedControlException, never anything else

    @Test
    void aWrongVersionOrTagIsRefused() {
        byte[] ack = sampleAck();
        ack[0] = 2;
        assertThatThrownBy(() -> FtCodec.ack(ack)).isInstanceOf(ControlCodec.MalformedControlException.class)
                .hasMessageContaining("version 2");

        byte[] replica = sampleReplica();
        replica[0] = 'G';
        assertThatThrownBy(() -> FtCodec.replica(replica)).isInstanceOf(ControlCodec.MalformedControlException.class)
                .hasMessageContaining("not a replica");

        byte[] replicaVersion = sampleReplica();
        replicaVersion[1] = 9;
        assertThatThrownBy(() -> FtCodec.replica(replicaVersion))
                .isInstanceOf(ControlCodec.MalformedControlException.class).hasMessageContaining("version 9");

        assertThatThrownBy(() -> FtCodec.replica(sampleAck())).isInstanceOf(ControlCodec.MalformedControlException.class);
    }

    @Test
    void everyTruncationIsRefused() {
        for (byte[] good : List.of(sampleAck(), FtCodec.ack(Map.of(TrafficClass.EVENT, ranges(1, 1))))) {
            for (int n = 0; n < good.length; n++) {
                byte[] cut = Arrays.copyOf(good, n);
                assertThatThrownBy(() -> FtCodec.ack(cut)).as("ack cut to %d of %d bytes", n, good.length)
                        .isInstanceOf(ControlCodec.MalformedControlException.class)
                        .satisfies(e -> assertThat(e.getMessage()).as("a reason").doesNotContain("null"));
            }
        }
        byte[] good = sampleReplica();
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThatThrownBy(() -> FtCodec.replica(cut)).as("replica cut to %d of %d bytes", n, good.length)
                    .isInstanceOf(ControlCodec.MalformedControlException.class)
                    .satisfies(e -> assertThat(e.getMessage()).as("a reason").doesNotContain("null"));
        }
    }

    @Test
    void absurdCountsAreRefusedWithoutAllocating() {
        for (int count : new int[] { Integer.MAX_VALUE, -1, Integer.MIN_VALUE, 1 << 20, 2 }) {
            // ack: version, one class, EVENT, a count, and one range's worth of bytes at most
            byte[] ack = ByteBuffer.allocate(3 + 4 + 16).put((byte) 1).put((byte) 1).put((byte) 3).putInt(count)
                    .putLong(1).putLong(2).array();
            assertThatThrownBy(() -> FtCodec.ack(ack)).as("ack count %d", count)
                    .isInstanceOf(ControlCodec.MalformedControlException.class);

            byte[] held = ByteBuffer.allocate(2 + 4 + 4).put(FtCodec.REPLICA_TAG).put((byte) 1).putInt(count).putInt(0)
                    .array();
            assertThatThrownBy(() -> FtCodec.replica(held)).as("held count %d", count)
                    .isInstanceOf(ControlCodec.MalformedControlException.class);

            byte[] acked = ByteBuffer.allocate(2 + 4 + 4).put(FtCodec.REPLICA_TAG).put((byte) 1).putInt(0)
                    .putInt(count).array();
            assertThatThrownBy(() -> FtCodec.replica(acked)).as("acked count %d", count)
                    .isInstanceOf(ControlCodec.MalformedControlException.class);
        }
        // 255 classes claimed, none there
        assertThatThrownBy(() -> FtCodec.ack(new byte[] { 1, (byte) 255 }))
                .isInstanceOf(ControlCodec.MalformedControlException.class);
    }

    @Test
    void unknownClassAndTypeCodesAreRefused() {
        byte[] ack = sampleAck(); // version, classes, then the first class's code
        ack[2] = 9;
        assertThatThrownBy(() -> FtCodec.ack(ack)).isInstanceOf(ControlCodec.MalformedControlException.class)
                .hasMessageContaining("traffic class 9");

        byte[] type = sampleReplica(); // tag, version, held count, then the first frame's type
        type[6] = 0;
        assertThatThrownBy(() -> FtCodec.replica(type)).isInstanceOf(ControlCodec.MalformedControlException.class)
                .hasMessageContaining("unknown type or class");

        byte[] cls = sampleReplica();
        cls[7] = 4;
        assertThatThrownBy(() -> FtCodec.replica(cls)).isInstanceOf(ControlCodec.MalformedControlException.class)
                .hasMessageContaining("unknown type or class");

        byte[] ackedClass = FtCodec.replica(List.of(),
                List.of(new FtCodec.Acked(new PendingStore.Stream("a", "b"), TrafficClass.EVENT, 1, 2)));
        ackedClass[ackedClass.length - 17] = 77; // the class byte before lo and hi
        assertThatThrownBy(() -> FtCodec.replica(ackedClass))
                .isInstanceOf(ControlCodec.MalformedControlException.class).hasMessageContaining("traffic class 77");
    }

    @Test
    void aFrameLongerThanThePayloadIsRefused() throws IOException {
        for (int length : new int[] { 6, 1000, Integer.MAX_VALUE, -1 }) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(FtCodec.REPLICA_TAG);
                out.writeByte(1);
                out.writeInt(1);
                out.writeByte(FrameType.DATA.code());
                out.writeByte(TrafficClass.EVENT.code());
                out.writeByte(1);
                for (String id : new String[] { "s", "011", "c", "0" }) {
                    out.writeUTF(id);
                }
                out.writeLong(1);
                out.writeLong(2);
                out.writeInt(length);
                out.write(new byte[] { 1, 2, 3, 4, 5 });
                out.writeUTF("from");
                out.writeInt(0);
            }
            assertThatThrownBy(() -> FtCodec.replica(bytes.toByteArray())).as("frame length %d", length)
                    .isInstanceOf(ControlCodec.MalformedControlException.class);
        }
    }

    @Test
    void anAcknowledgedStreamMustNamePeers() {
        for (String bad : new String[] { "", "a b", "x".repeat(65) }) {
            byte[] bytes = FtCodec.replica(List.of(),
                    List.of(new FtCodec.Acked(new PendingStore.Stream(bad, "client"), TrafficClass.EVENT, 1, 2)));
            assertThatThrownBy(() -> FtCodec.replica(bytes)).as("origin '%s'", bad)
                    .isInstanceOf(ControlCodec.MalformedControlException.class);
        }
    }

    @Test
    void aStringLongerThanTheBytesAllocatesNothing() {
        // a held frame whose source peer claims 65535 bytes, in a message of 16
        byte[] bytes = ByteBuffer.allocate(16).put(FtCodec.REPLICA_TAG).put((byte) 1).putInt(1)
                .put((byte) FrameType.DATA.code()).put((byte) TrafficClass.EVENT.code()).put((byte) 0)
                .putShort((short) 0xFFFF).array();
        assertThat(Allocation.bytesOf(() -> assertThatThrownBy(() -> FtCodec.replica(bytes))
                .isInstanceOf(ControlCodec.MalformedControlException.class))).isLessThan(64 * 1024);
    }

    @Test
    void badModifiedUtf8IsRefused() {
        // the held frame's source peer: a length of 2, then bytes that are no modified UTF-8
        byte[] bytes = ByteBuffer.allocate(32).put(FtCodec.REPLICA_TAG).put((byte) 1).putInt(1)
                .put((byte) FrameType.DATA.code()).put((byte) TrafficClass.EVENT.code()).put((byte) 0)
                .putShort((short) 2).put((byte) 0xFF).put((byte) 0xFF).array();
        assertThatThrownBy(() -> FtCodec.replica(bytes)).isInstanceOf(ControlCodec.MalformedControlException.class);
    }
}

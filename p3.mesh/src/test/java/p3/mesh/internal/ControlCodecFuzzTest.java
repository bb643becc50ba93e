package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

/**
 * Feeds the control codec, which decodes what neighbours, cell-mates and discovery send, thousands
 * of damaged copies of valid messages of every kind: each is refused with a
 * {@link ControlCodec.MalformedControlException}, or decodes to a message that encodes and decodes
 * again to the same bytes. Nothing else ever comes out.
 */
class ControlCodecFuzzTest {

    private static final long SEED = 19450508L;
    private static final int ROUNDS = 20_000;

    private final ControlCodec codec = new ControlCodec(2);

    private List<byte[]> corpus() throws Exception {
        PeerRecord a = new PeerRecord("sp-7", PeerRole.SUPER, CellId.of("021", 2), "sp-3",
                new InetSocketAddress(InetAddress.getByAddress(new byte[] { 10, 0, 0, 7 }), 4711), 9);
        PeerRecord b = new PeerRecord("sensor-1", PeerRole.SENSOR, CellId.of("011", 2), "sp-7",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        PeerRecord c = new PeerRecord("client", PeerRole.CLIENT, null, "", new InetSocketAddress(
                InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 }), 65535), Long.MAX_VALUE);
        Frame f = new Frame(FrameType.DATA, TrafficClass.EVENT, Frame.FLAG_FAULT_TOLERANT, "sensor-1", "011",
                "client", "0", 77, 99, new byte[] { 1, 2, 3 });
        Frame ack = new Frame(FrameType.ACK, TrafficClass.MESH, 0, "client", "", "sensor-1", "011", 0, 5,
                FtCodecTest.sampleAck());
        return List.of(
                codec.encode(new Control(Control.Kind.ROUTE, 42, "text", List.of(a), f)),
                codec.encode(Control.route(ack)),
                codec.encode(Control.records(Control.Kind.JOIN, 1, List.of(a, b, c))),
                codec.encode(Control.records(Control.Kind.TREE, 3, List.of(c))),
                codec.encode(Control.of(Control.Kind.SUBSCRIBE, 0, "event:ft:100")),
                codec.encode(Control.of(Control.Kind.FT_USE, Long.MIN_VALUE, "")));
    }

    @Test
    void damagedControlMessagesAreRefusedOrDecodeCleanly() throws Exception {
        List<byte[]> corpus = corpus();
        Function<byte[], byte[]> decodeAndEncode = bytes -> codec.encode(codec.decode(bytes));
        for (byte[] good : corpus) {
            assertThat(FtCodecFuzzTest.decodeOrRefuse(good, decodeAndEncode, -1)).as("the corpus is valid").isTrue();
        }
        Random r = new Random(SEED);
        int refused = 0;
        int decoded = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] bad = Mutations.mutate(corpus.get(r.nextInt(corpus.size())), r);
            if (FtCodecFuzzTest.decodeOrRefuse(bad, decodeAndEncode, i)) {
                decoded++;
            } else {
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(ROUNDS / 4);
        assertThat(decoded).isPositive();
    }

    @Test
    void aCountOfRecordsThatAreNotThereIsRefusedBeforeReadingThem() {
        // version, kind, id, empty text, then a count: 16 bytes that claim 100,000 records
        byte[] bytes = ByteBuffer.allocate(16).put((byte) 1).put((byte) Control.Kind.JOIN.ordinal())
                .putLong(1).putShort((short) 0).putInt(100_000).array();
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(ControlCodec.MalformedControlException.class).hasMessageContaining("record count 100000");
    }

    @Test
    void aTruncatedMessageIsRefusedWithAReason() throws Exception {
        byte[] good = corpus().get(2);
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThatThrownBy(() -> codec.decode(cut)).as("cut to %d bytes", n)
                    .isInstanceOf(ControlCodec.MalformedControlException.class)
                    .satisfies(e -> assertThat(e.getMessage()).as("a reason").isNotNull().doesNotContain("null"));
        }
    }

    /**
     * A few bytes claiming a long string or many records are refused before anything is allocated
     * for them: discovery, links and the cell group hand the codec bytes from anyone, and
     * DataInput.readUTF alone would allocate 192 KiB for a 12-byte message.
     */
    @Test
    void lengthsAndCountsBeyondTheBytesAllocateNothing() {
        byte[] longText = ByteBuffer.allocate(12).put((byte) 1).put((byte) Control.Kind.CELL.ordinal())
                .putLong(1).putShort((short) 0xFFFF).array();
        byte[] manyRecords = ByteBuffer.allocate(16).put((byte) 1).put((byte) Control.Kind.JOIN.ordinal())
                .putLong(1).putShort((short) 0).putInt(100_000).array();
        byte[] longPeer = ByteBuffer.allocate(40).put((byte) 1).put((byte) Control.Kind.JOIN.ordinal())
                .putLong(1).putShort((short) 0).putInt(1).putShort((short) 0xFFFF).array();
        for (byte[] bytes : List.of(longText, manyRecords, longPeer)) {
            assertThat(Allocation.bytesOf(() -> {
                try {
                    codec.decode(bytes);
                } catch (ControlCodec.MalformedControlException expected) {
                    // refused
                }
            })).as("bytes allocated to refuse %s", Mutations.hex(bytes)).isLessThan(16 * 1024);
        }
    }

    @Test
    void noiseIsRefused() {
        Random r = new Random(SEED);
        Function<byte[], byte[]> decodeAndEncode = bytes -> codec.encode(codec.decode(bytes));
        for (int i = 0; i < ROUNDS; i++) {
            byte[] noise = new byte[r.nextInt(300)];
            r.nextBytes(noise);
            if (noise.length > 1) {
                noise[0] = 1; // the version, so that the kind and what follows are read
                noise[1] = (byte) r.nextInt(Control.Kind.values().length);
            }
            FtCodecFuzzTest.decodeOrRefuse(noise, decodeAndEncode, i);
        }
    }
}

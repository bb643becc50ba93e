package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.TrafficClass;

/**
 * Feeds the fault-tolerance codec, which decodes bytes from the network (acknowledgements from
 * the mesh, replicas from the cell group), thousands of damaged copies of valid encodings: each
 * is refused with a {@link ControlCodec.MalformedControlException}, or decodes to something that
 * encodes and decodes again to the same bytes. Nothing else ever comes out: no
 * IndexOutOfBoundsException, no OutOfMemoryError from a count it believed.
 */
class FtCodecFuzzTest {

    private static final long SEED = 20101102L;
    private static final int ROUNDS = 20_000;

    private static List<byte[]> acks() {
        Map<TrafficClass, Ranges> every = new EnumMap<>(TrafficClass.class);
        for (TrafficClass c : TrafficClass.values()) {
            every.put(c, FtCodecTest.ranges(1, 100, 102, 110, 200, 200));
        }
        return List.of(FtCodecTest.sampleAck(), FtCodec.ack(every), FtCodec.ack(Map.of()),
                FtCodec.ack(Map.of(TrafficClass.EVENT, FtCodecTest.ranges(7, 7))));
    }

    private static List<byte[]> replicas() {
        Frame big = new Frame(FrameType.DATA, TrafficClass.VIDEO, Frame.FLAG_FAULT_TOLERANT, "sensor-22", "0221",
                "client", "0", 123_456, 42, new byte[600]);
        return List.of(FtCodecTest.sampleReplica(), FtCodec.replica(List.of(), List.of()),
                FtCodec.replica(List.of(new FtCodec.Held(big, "sp-b")), List.of()),
                FtCodec.replica(List.of(), List.of(
                        new FtCodec.Acked(new PendingStore.Stream("sensor-1", "client"), TrafficClass.EVENT, 1, 9),
                        new FtCodec.Acked(new PendingStore.Stream("sensor-2", "client"), TrafficClass.AUDIO, 4, 4))));
    }

    @Test
    void damagedAcknowledgementsAreRefusedOrDecodeCleanly() {
        int[] outcome = fuzz(acks(), bytes -> FtCodec.ack(FtCodec.ack(bytes).ranges()));
        assertThat(outcome[0]).as("refused").isGreaterThan(ROUNDS / 4);
        assertThat(outcome[1]).as("decoded anyway (a flip in a range is still an acknowledgement)").isPositive();
    }

    @Test
    void damagedReplicasAreRefusedOrDecodeCleanly() {
        int[] outcome = fuzz(replicas(), bytes -> {
            FtCodec.Replica r = FtCodec.replica(bytes);
            return FtCodec.replica(r.held(), r.acked());
        });
        assertThat(outcome[0]).as("refused").isGreaterThan(ROUNDS / 4);
        assertThat(outcome[1]).as("decoded anyway (a flip in a payload is still a replica)").isPositive();
    }

    @Test
    void noiseIsRefused() {
        Random r = new Random(SEED);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] noise = new byte[r.nextInt(300)];
            r.nextBytes(noise);
            if (i % 2 == 0 && noise.length > 1) {
                noise[0] = FtCodec.REPLICA_TAG; // past the first check
                noise[1] = 1;
            }
            decodeOrRefuse(noise, bytes -> FtCodec.ack(FtCodec.ack(bytes).ranges()), i);
            decodeOrRefuse(noise, bytes -> {
                FtCodec.Replica rep = FtCodec.replica(bytes);
                return FtCodec.replica(rep.held(), rep.acked());
            }, i);
        }
    }

    /** @return how many were refused, how many decoded */
    private static int[] fuzz(List<byte[]> corpus, Function<byte[], byte[]> decodeAndEncode) {
        Random r = new Random(SEED);
        int[] outcome = new int[2];
        for (int i = 0; i < ROUNDS; i++) {
            byte[] bad = Mutations.mutate(corpus.get(r.nextInt(corpus.size())), r);
            outcome[decodeOrRefuse(bad, decodeAndEncode, i) ? 1 : 0]++;
        }
        return outcome;
    }

    /** @return whether it decoded; fails on anything but a decode or a MalformedControlException */
    static boolean decodeOrRefuse(byte[] bad, Function<byte[], byte[]> decodeAndEncode, int round) {
        byte[] again;
        try {
            again = decodeAndEncode.apply(bad);
        } catch (ControlCodec.MalformedControlException refused) {
            return false;
        } catch (Throwable t) {
            throw new AssertionError("round " + round + ": " + t + " from " + Mutations.hex(bad), t);
        }
        // what decoded encodes to bytes that decode to the same thing
        assertThat(decodeAndEncode.apply(again)).as("round %d: %s", round, Mutations.hex(bad)).isEqualTo(again);
        return true;
    }
}

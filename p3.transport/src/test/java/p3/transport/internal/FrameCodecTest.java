package p3.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.Rejection;
import p3.transport.TrafficClass;

class FrameCodecTest {

    private static final int MAX = 64 * 1024;

    private final Counters counters = new Counters();

    private static ByteBuf encode(Frame f) {
        return FrameEncoder.encode(UnpooledByteBufAllocator.DEFAULT, f);
    }

    /** A frame's bytes on the wire. */
    static byte[] wire(Frame f) {
        ByteBuf b = encode(f);
        try {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            return bytes;
        } finally {
            b.release();
        }
    }

    private EmbeddedChannel decoder() {
        return new EmbeddedChannel(new FrameDecoder(MAX, counters));
    }

    @Test
    void everyTypeAndClassSurvivesTheWire() {
        EmbeddedChannel in = decoder();
        long bytes = 0;
        for (FrameType type : FrameType.values()) {
            for (TrafficClass cls : TrafficClass.values()) {
                byte[] payload = (type + "/" + cls).getBytes(StandardCharsets.UTF_8);
                Frame sent = new Frame(type, cls, Frame.FLAG_FAULT_TOLERANT, "sensor-1", "011", "client", "0",
                        42, 123456789L, payload);
                ByteBuf wire = encode(sent);
                bytes += wire.readableBytes();
                in.writeInbound(wire);
                Frame got = in.readInbound();
                assertThat(got.type()).isEqualTo(type);
                assertThat(got.trafficClass()).isEqualTo(cls);
                assertThat(got.isFaultTolerant()).isTrue();
                assertThat(got.sourcePeer()).isEqualTo("sensor-1");
                assertThat(got.sourceCell()).isEqualTo("011");
                assertThat(got.targetPeer()).isEqualTo("client");
                assertThat(got.targetCell()).isEqualTo("0");
                assertThat(got.sequence()).isEqualTo(42);
                assertThat(got.sendNanos()).isEqualTo(123456789L);
                assertThat(got.payload()).isEqualTo(payload);
                assertThat(got).isEqualTo(sent);
                got.release();
            }
        }
        assertThat(counters.framesReceived()).isEqualTo(FrameType.values().length * TrafficClass.values().length);
        assertThat(counters.bytesReceived()).isEqualTo(bytes);
    }

    @Test
    void framesSplitAcrossReadsAndIdentifiersThatChangeDecodeRight() {
        EmbeddedChannel in = decoder();
        ByteBuf a = encode(Frame.data(TrafficClass.VIDEO, "s1", "011", "c", "0", 1, new byte[4180]));
        ByteBuf b = encode(Frame.data(TrafficClass.VIDEO, "s2", "012", "c", "0", 2, new byte[10]));
        ByteBuf both = Unpooled.wrappedBuffer(a, b);
        while (both.isReadable()) {
            in.writeInbound(both.readRetainedSlice(Math.min(7, both.readableBytes())));
        }
        both.release();
        Frame first = in.readInbound();
        Frame second = in.readInbound();
        assertThat(first.sourcePeer()).isEqualTo("s1");
        assertThat(first.payload()).hasSize(4180);
        assertThat(second.sourcePeer()).isEqualTo("s2");
        assertThat(second.sourceCell()).isEqualTo("012");
        assertThat(second.sequence()).isEqualTo(2);
    }

    @Test
    void aSteadyStreamReusesItsIdentifierStrings() {
        EmbeddedChannel in = decoder();
        in.writeInbound(encode(Frame.data(TrafficClass.AUDIO, "sensor-7", "021", "client", "0", 1, new byte[1])));
        in.writeInbound(encode(Frame.data(TrafficClass.AUDIO, "sensor-7", "021", "client", "0", 2, new byte[1])));
        Frame a = in.readInbound();
        Frame b = in.readInbound();
        assertThat(b.sourcePeer()).isSameAs(a.sourcePeer());
        assertThat(b.targetCell()).isSameAs(a.targetCell());
    }

    @Test
    void refusesBadMagic() {
        assertRejected(header(0x1234, 1, 2, 1), Rejection.BAD_MAGIC);
    }

    @Test
    void refusesAnotherVersion() {
        assertRejected(header(WireFormat.MAGIC, 9, 2, 1), Rejection.BAD_VERSION);
    }

    @Test
    void refusesUnknownType() {
        assertRejected(header(WireFormat.MAGIC, 1, 77, 1), Rejection.UNKNOWN_TYPE);
    }

    @Test
    void refusesUnknownClass() {
        assertRejected(header(WireFormat.MAGIC, 1, 2, 9), Rejection.UNKNOWN_CLASS);
    }

    @Test
    void refusesTruncatedHeader() {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(5).writeShort(WireFormat.MAGIC).writeByte(1).writeByte(2).writeByte(1);
        assertRejected(b, Rejection.TRUNCATED);
    }

    @Test
    void refusesIdentifierLongerThanWhatIsLeft() {
        ByteBuf b = header(WireFormat.MAGIC, 1, 2, 1);
        b.setByte(4 + 22, 200); // source peer claims 200 bytes
        assertRejected(b, Rejection.TRUNCATED);
    }

    @Test
    void refusesLengthOverTheMaximumBeforeBufferingIt() {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(MAX + 1).writeShort(WireFormat.MAGIC);
        assertRejected(b, Rejection.TOO_LONG);
    }

    @Test
    void refusesNegativeLengthAsTooLong() {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(-5).writeLong(0); // the length field is unsigned
        assertRejected(b, Rejection.TOO_LONG);
    }

    @Test
    void refusesEmptyFrame() {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(0);
        assertRejected(b, Rejection.TRUNCATED);
    }

    @Test
    void encoderRefusesOverlongIdentifiers() {
        Frame f = Frame.data(TrafficClass.EVENT, "x".repeat(256), "0", "c", "0", 1, new byte[0]);
        assertThatThrownBy(() -> encode(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 255");
    }

    /** A well-formed frame of four empty identifiers, with the given header bytes. */
    private static ByteBuf header(int magic, int version, int type, int cls) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(WireFormat.MIN_HEADER);
        b.writeShort(magic).writeByte(version).writeByte(type).writeByte(cls).writeByte(0);
        b.writeLong(1).writeLong(2);
        b.writeByte(0).writeByte(0).writeByte(0).writeByte(0);
        return b;
    }

    private void assertRejected(ByteBuf input, Rejection expected) {
        EmbeddedChannel in = decoder();
        assertThatThrownBy(() -> in.writeInbound(input))
                .isInstanceOfSatisfying(RejectedFrameException.class, e -> assertThat(e.reason).isEqualTo(expected));
        assertThat((Object) in.readInbound()).isNull();
    }
}

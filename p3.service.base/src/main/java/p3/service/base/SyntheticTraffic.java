package p3.service.base;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32;

import p3.mesh.spi.TrafficProfile;
import p3.mesh.spi.TrafficService;

/**
 * A traffic service of synthetic frames, for the services that simulate a station's streams:
 * each payload carries its sequence number, bytes derived from it, and a CRC, so that the sink can
 * tell a frame that arrived intact from one that was mangled or misplaced. Frames come at a fixed
 * rate, or with exponential gaps when arrivals are random (the report's events).
 */
public abstract class SyntheticTraffic implements TrafficService {

    private final String trafficClass;
    private final TrafficProfile profile;
    private final long meanIntervalNanos;

    protected SyntheticTraffic(String trafficClass, TrafficProfile profile) {
        this.trafficClass = trafficClass;
        this.profile = profile;
        this.meanIntervalNanos = Math.round(1e9 / profile.ratePerSecond());
    }

    @Override
    public final String trafficClass() {
        return trafficClass;
    }

    @Override
    public final TrafficProfile profile() {
        return profile;
    }

    @Override
    public byte[] payload(long sequence, Random random) {
        byte[] b = new byte[profile.frameBytes()];
        ByteBuffer buf = ByteBuffer.wrap(b);
        buf.putLong(sequence);
        for (int i = 8; i < b.length - 4; i++) {
            b[i] = (byte) (sequence * 31 + i);
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        buf.putInt(b.length - 4, (int) crc.getValue());
        return b;
    }

    @Override
    public long nextIntervalNanos(Random random) {
        if (!profile.randomArrivals()) {
            return meanIntervalNanos;
        }
        return Math.round(-Math.log(1 - random.nextDouble()) * meanIntervalNanos);
    }

    @Override
    public boolean verify(long sequence, byte[] payload) {
        if (payload.length < 12) {
            return false;
        }
        ByteBuffer buf = ByteBuffer.wrap(payload);
        if (buf.getLong(0) != sequence) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(payload, 0, payload.length - 4);
        return buf.getInt(payload.length - 4) == (int) crc.getValue();
    }

    @Override
    public String toString() {
        return trafficClass + " " + profile;
    }
}

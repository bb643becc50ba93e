package p3.mesh.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;

import p3.mesh.Qos;
import p3.mesh.spi.TrafficProfile;
import p3.mesh.spi.TrafficService;

/**
 * A traffic class for the mesh's own tests: each frame carries its sequence number up front, which
 * the client checks. The service bundles' synthetic traffic (p3.service.base) checks more; the mesh
 * cannot depend on it, since it depends on the mesh.
 */
final class TestTraffic implements TrafficService {

    private final String trafficClass;
    private final TrafficProfile profile;

    TestTraffic(String trafficClass, double rate, int bytes, boolean random) {
        this.trafficClass = trafficClass;
        this.profile = new TrafficProfile(rate, bytes, random, 1, new Qos(false, Duration.ofMillis(100)));
    }

    @Override
    public String trafficClass() {
        return trafficClass;
    }

    @Override
    public TrafficProfile profile() {
        return profile;
    }

    @Override
    public byte[] payload(long sequence, Random random) {
        byte[] b = new byte[profile.frameBytes()];
        ByteBuffer.wrap(b).putLong(sequence);
        return b;
    }

    @Override
    public long nextIntervalNanos(Random random) {
        double mean = 1e9 / profile.ratePerSecond();
        return Math.round(profile.randomArrivals() ? -Math.log(1 - random.nextDouble()) * mean : mean);
    }

    @Override
    public boolean verify(long sequence, byte[] payload) {
        return payload.length == profile.frameBytes() && ByteBuffer.wrap(payload).getLong(0) == sequence;
    }
}

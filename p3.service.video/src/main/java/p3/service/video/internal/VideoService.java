package p3.service.video.internal;

import java.time.Duration;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import p3.mesh.Qos;
import p3.mesh.spi.TrafficProfile;
import p3.mesh.spi.TrafficService;
import p3.service.base.SyntheticTraffic;

/** Video frames of a station (report, Table I: 24 frames/s of 4180 B). */
@Component(service = TrafficService.class, property = TrafficService.CLASS_PROPERTY + "=video",
        configurationPid = VideoService.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = VideoService.Config.class)
public final class VideoService extends SyntheticTraffic {

    public static final String PID = "p3.service.video";

    @ObjectClassDefinition(name = "P3 video", description = "Video frames of a station (report, Table I: 24 frames/s of 4180 B)")
    public @interface Config {
        @AttributeDefinition(description = "Frames per second of one sensor")
        double rate() default 24;

        @AttributeDefinition(description = "Payload bytes of a frame")
        int frameBytes() default 4180;

        @AttributeDefinition(description = "Random arrivals (exponential gaps) instead of a fixed rate")
        boolean randomArrivals() default false;

        @AttributeDefinition(description = "Relative priority (report: video and audio 1, events 3, mesh control 10)")
        int priority() default 1;

        @AttributeDefinition(description = "Fault tolerance unless the client says otherwise")
        boolean faultTolerant() default false;

        @AttributeDefinition(description = "A frame older than this at the client is late, in ms")
        int deadlineMs() default 100;
    }

    @Activate
    public VideoService(Config c) {
        super("video", new TrafficProfile(c.rate(), c.frameBytes(), c.randomArrivals(), c.priority(),
                new Qos(c.faultTolerant(), Duration.ofMillis(c.deadlineMs()))));
    }
}

package p3.service.event.internal;

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

/** Events of a station (report, Table I: 25/s of 1024 B at random). */
@Component(service = TrafficService.class, property = TrafficService.CLASS_PROPERTY + "=event",
        configurationPid = EventService.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EventService.Config.class)
public final class EventService extends SyntheticTraffic {

    public static final String PID = "p3.service.event";

    @ObjectClassDefinition(name = "P3 event", description = "Events of a station (report, Table I: 25/s of 1024 B at random)")
    public @interface Config {
        @AttributeDefinition(description = "Frames per second of one sensor")
        double rate() default 25;

        @AttributeDefinition(description = "Payload bytes of a frame")
        int frameBytes() default 1024;

        @AttributeDefinition(description = "Random arrivals (exponential gaps) instead of a fixed rate")
        boolean randomArrivals() default true;

        @AttributeDefinition(description = "Relative priority (report: video and audio 1, events 3, mesh control 10)")
        int priority() default 3;

        @AttributeDefinition(description = "Fault tolerance unless the client says otherwise")
        boolean faultTolerant() default false;

        @AttributeDefinition(description = "A frame older than this at the client is late, in ms")
        int deadlineMs() default 100;
    }

    @Activate
    public EventService(Config c) {
        super("event", new TrafficProfile(c.rate(), c.frameBytes(), c.randomArrivals(), c.priority(),
                new Qos(c.faultTolerant(), Duration.ofMillis(c.deadlineMs()))));
    }
}

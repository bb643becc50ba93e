package p3.ft.active.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import p3.ft.base.ReplicationPolicy;
import p3.mesh.spi.FtCell;
import p3.mesh.spi.FtPolicy;
import p3.mesh.spi.FtStrategy;

/**
 * The report's active replication (Listings 5 to 8): every FT message a super-peer holds is sent
 * to its cell while it is forwarded up, and every acknowledgement too; the mesh sends them off
 * the message's path. A replica may linger up to a millisecond for the messages that follow: a
 * group message per FT message tripled the mesh's CPU on this 2-core machine and its latency.
 */
@Component(service = FtStrategy.class, property = FtStrategy.NAME_PROPERTY + "=" + ActiveStrategy.NAME,
        configurationPid = ActiveStrategy.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ActiveStrategy.Config.class)
public final class ActiveStrategy implements FtStrategy {

    static final String NAME = "active";
    public static final String PID = "p3.ft.active";
    /** The configuration's default, for the bench outside OSGi. */
    public static final int LINGER_MICROS = 1000;

    @ObjectClassDefinition(name = "P3 active FT", description = "Every FT message replicated to the cell as it is held")
    public @interface Config {
        @AttributeDefinition(description = "A replica leaves at most this many microseconds after the first message "
                + "it holds (0: at once); messages held meanwhile travel in it")
        int lingerMicros() default LINGER_MICROS;
    }

    private final int lingerMicros;

    @Activate
    public ActiveStrategy(Config config) {
        this(config.lingerMicros());
    }

    /** Outside OSGi (the bench). */
    public ActiveStrategy(int lingerMicros) {
        if (lingerMicros < 0) {
            throw new IllegalArgumentException("lingerMicros must not be negative: " + lingerMicros);
        }
        this.lingerMicros = lingerMicros;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FtPolicy attach(FtCell cell) {
        cell.replicate(); // what an earlier strategy left queued goes now
        return new ReplicationPolicy(cell) {
            @Override
            public void held(String trafficClass) {
                cell.replicateWithin(lingerMicros);
            }

            @Override
            public void acknowledged(int count) {
                cell.replicateWithin(lingerMicros);
            }
        };
    }
}

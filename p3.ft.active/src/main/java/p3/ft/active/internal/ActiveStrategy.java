package p3.ft.active.internal;

import org.osgi.service.component.annotations.Component;

import p3.mesh.spi.FtCell;
import p3.mesh.spi.FtPolicy;
import p3.mesh.spi.FtStrategy;
import p3.mesh.spi.ReplicationPolicy;

/**
 * The report's active replication (Listings 5 to 8): every FT message a super-peer holds is sent
 * to its cell while it is forwarded up, and every acknowledgement too; the mesh sends them off
 * the message's path, batching what queues up while a send is under way.
 */
@Component(service = FtStrategy.class, property = FtStrategy.NAME_PROPERTY + "=" + ActiveStrategy.NAME)
public final class ActiveStrategy implements FtStrategy {

    static final String NAME = "active";

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
                cell.replicate();
            }

            @Override
            public void acknowledged(int count) {
                cell.replicate();
            }
        };
    }
}

package p3.mesh.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A fault-tolerance strategy, registered by its own bundle with the service property
 * {@value #NAME_PROPERTY} naming it ({@code active}, {@code passive}, {@code hybrid}).
 *
 * <p>State in the mesh, policy in the strategy: every peer keeps its pending store of FT messages
 * (by origin, until the acknowledgement comes back down) whatever strategy it uses. A strategy
 * decides when the store's changes are replicated to the cell and who resends what after a
 * cell-mate fails. So swapping strategies on a running peer loses nothing.
 */
@ConsumerType
public interface FtStrategy {

    /** Service property naming the strategy. */
    String NAME_PROPERTY = "p3.ft";

    String name();

    /** A super-peer starts using this strategy; the policy serves it until {@link FtPolicy#detach()}. */
    FtPolicy attach(FtCell cell);
}

package p3.transport;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Group communication inside a cell: one group per cell, reliable and ordered per sender, with
 * membership views and failure detection. The protocol stack (IP multicast, TCP with a member
 * list, or in-JVM) is the service's configuration, not the caller's concern.
 */
@ProviderType
public interface CellGroups {

    /**
     * Joins (or founds) a group. Returns once the member is in a view.
     *
     * @throws TransportException when the group cannot be joined
     */
    CellGroup join(GroupSpec spec, CellGroupListener listener) throws TransportException;

    /** The stack in use: {@code udp}, {@code tcp} or {@code local}. */
    String stack();
}

package p3.transport;

import java.util.concurrent.CompletionStage;

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

    /**
     * Joins (or founds) a group without waiting: joining waits for a view (the join timeout when the
     * group is founded), so it runs on the transport's own threads. The stage completes with the
     * group once the member is in a view, or exceptionally with a {@link TransportException}. The
     * listener may hear the group's first view before the stage completes.
     *
     * @since 1.1
     */
    CompletionStage<CellGroup> joinAsync(GroupSpec spec, CellGroupListener listener);

    /** The stack in use: {@code udp}, {@code tcp} or {@code local}. */
    String stack();

    /**
     * What the groups refused since the service started: {@link Rejection#UNTRUSTED_MEMBER} and
     * {@link Rejection#BAD_GROUP_MESSAGE} in {@link TransportStats#rejections()}; the frame and link
     * counters stay zero. An implementation that counts nothing returns zeros.
     *
     * @since 1.2
     */
    default TransportStats stats() {
        return NoStats.INSTANCE;
    }
}

package p3.transport;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives a cell group's views and messages, on the group's own threads: do not block. */
@ConsumerType
public interface CellGroupListener {

    void onView(CellView view);

    void onMessage(String from, byte[] payload);

    /**
     * A member is suspected by failure detection and not yet confirmed gone; a view without it
     * follows if the suspicion holds.
     */
    default void onSuspect(String member) {
    }
}

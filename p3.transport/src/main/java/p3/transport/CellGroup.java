package p3.transport;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/** This peer's membership of one cell group. */
@ProviderType
public interface CellGroup {

    String localMember();

    /** The current view, oldest member first. */
    List<String> members();

    /**
     * Sends to every other member of the view (not to this one). May wait for flow-control credits:
     * a caller that must never wait uses {@link #offer(byte[])}.
     */
    void send(byte[] payload) throws TransportException;

    /** Sends to one member; unknown members are an error. May wait, as {@link #send(byte[])}. */
    void send(String member, byte[] payload) throws TransportException;

    /**
     * Queues a message to every other member of the view and returns at once: the transport's own
     * threads hand it to the group, in the order offered (the same order as the member-addressed
     * offers of this group). Never waits.
     *
     * @return false when refused: the group's queue is full, or the group was left or crashed;
     *         each refusal is counted in {@link #refused()}
     * @since 1.1
     */
    boolean offer(byte[] payload);

    /**
     * Like {@link #offer(byte[])}, to one member.
     *
     * @return false when refused as above, or when {@code member} is not in the current view
     * @since 1.1
     */
    boolean offer(String member, byte[] payload);

    /** Offers that were refused, or that failed when the transport handed them to the group. @since 1.1 */
    long refused();

    /** Leaves with a goodbye: the others get a new view at once. Waits for the group's leave protocol. */
    void leave();

    /**
     * Leaves with a goodbye on the transport's own threads: the stage completes once left. Offers not
     * yet handed to the group go first.
     *
     * @since 1.1
     */
    CompletionStage<Void> leaveAsync();

    /** Stops without a goodbye: the others must detect the failure. */
    void crash();
}

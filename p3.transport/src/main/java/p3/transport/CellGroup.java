package p3.transport;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** This peer's membership of one cell group. */
@ProviderType
public interface CellGroup {

    String localMember();

    /** The current view, oldest member first. */
    List<String> members();

    /** Sends to every other member of the view (not to this one). */
    void send(byte[] payload) throws TransportException;

    /** Sends to one member; unknown members are an error. */
    void send(String member, byte[] payload) throws TransportException;

    /** Leaves with a goodbye: the others get a new view at once. */
    void leave();

    /** Stops without a goodbye: the others must detect the failure. */
    void crash();
}

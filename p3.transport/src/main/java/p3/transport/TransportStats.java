package p3.transport;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** Counters of a transport service since it started; cheap to read at any time. */
@ProviderType
public interface TransportStats {

    long framesSent();

    long bytesSent();

    long framesReceived();

    long bytesReceived();

    /** Frames that {@link Link#send} refused because the link was full or closed. */
    long framesRefused();

    long linksOpened();

    long linksClosed();

    /** Bad input refused, by reason; only reasons seen at least once are present. */
    Map<Rejection, Long> rejections();
}

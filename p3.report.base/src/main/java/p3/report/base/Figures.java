package p3.report.base;

/**
 * What each figure of a client's traffic class means at the moment it is read: the same words in
 * the shell's table, in the JSON documents and in the HELP lines of {@code /metrics}.
 *
 * <p>A sensor reports how many frames it produced once a second, so the count of frames sent lags
 * the frames that arrived: read while traffic flows, received can exceed it, and a frame lost since
 * the last report is not counted yet. Once the sources stopped ({@code p3:stopsources}) and their
 * final reports arrived, sent and lost are exact.
 */
public final class Figures {

    public static final String SENT_REPORTED = "frames the sensors reported producing for this client, as of each"
            + " sensor's last report (once a second): it lags what arrived, so received can exceed it";
    public static final String RECEIVED = "distinct intact frames that arrived so far";
    public static final String LOST = "sent_reported minus received, never below 0: a lower bound while the sources"
            + " run, exact once they stopped (p3:stopsources)";
    public static final String DUPLICATES = "frames that arrived again and were not delivered twice";
    public static final String LATE = "frames that arrived past their class's deadline";
    public static final String CORRUPT = "frames whose payload did not check";
    public static final String LATENCY = "one-way latency from the sensor's send time, since the client started or"
            + " last restarted latency (p3:restartlatency)";

    /** The note under the shell's table. */
    public static final String NOTE = "sent: as the sensors last reported it (once a second), so it lags received;"
            + " lost: sent - received, at least 0, exact only after p3:stopsources";

    private Figures() {
    }
}

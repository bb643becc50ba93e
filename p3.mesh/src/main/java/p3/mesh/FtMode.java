package p3.mesh;

import java.util.Locale;
import java.util.Set;

/**
 * Which traffic classes a client asks to be fault-tolerant: the report's experiments (NO_FT,
 * FT_EVENT, FT_EVENT+VIDEO, FT_ALL).
 */
public enum FtMode {
    NONE("none", Set.of()),
    EVENT("event", Set.of("event")),
    EVENT_VIDEO("event+video", Set.of("event", "video")),
    ALL("all", Set.of("audio", "video", "event"));

    private final String label;
    private final Set<String> classes;

    FtMode(String label, Set<String> classes) {
        this.label = label;
        this.classes = classes;
    }

    /** {@code none}, {@code event}, {@code event+video} or {@code all}. */
    public String label() {
        return label;
    }

    public boolean faultTolerant(String trafficClass) {
        return classes.contains(trafficClass);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static FtMode of(String label) {
        String l = label == null ? "" : label.trim().toLowerCase(Locale.ROOT);
        for (FtMode m : values()) {
            if (m.label.equals(l) || m.name().toLowerCase(Locale.ROOT).equals(l)) {
                return m;
            }
        }
        throw new IllegalArgumentException("FT mode must be none, event, event+video or all: " + label);
    }
}

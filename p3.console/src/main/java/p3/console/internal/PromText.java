package p3.console.internal;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The Prometheus text exposition format (version 0.0.4): each family's {@code # HELP} and
 * {@code # TYPE} once, before its first sample; label values escaped; NaN and infinities as
 * Prometheus spells them.
 */
final class PromText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(8192);
    private final Set<String> declared = new HashSet<>();

    /** A family: name, type ({@code counter}, {@code gauge}, {@code summary}) and help. */
    record Family(String name, String type, String help) {
        Family {
            if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
                throw new IllegalArgumentException("not a metric name: " + name);
            }
        }
    }

    /** One sample; {@code labels} are name, value, name, value... */
    PromText sample(Family f, double value, String... labels) {
        return sample(f, "", value, labels);
    }

    /** One sample of a family's series with a suffix, e.g. {@code _sum} of a summary. */
    PromText sample(Family f, String suffix, double value, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in pairs: " + labels.length);
        }
        if (declared.add(f.name())) {
            out.append("# HELP ").append(f.name()).append(' ').append(escapeHelp(f.help())).append('\n');
            out.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
        }
        out.append(f.name()).append(suffix);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"").append(escapeLabel(labels[i + 1])).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }

    static String escapeLabel(String v) {
        return (v == null ? "" : v).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}

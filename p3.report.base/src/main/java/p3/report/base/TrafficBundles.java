package p3.report.base;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * The traffic classes of a runtime as bundles: {@code p3.service.CLASS}. Stopping one unloads its
 * class (its links close, its sources stop) without disturbing the others; starting it loads it again.
 */
public final class TrafficBundles {

    public static final String PREFIX = "p3.service.";

    /** One traffic bundle and whether it is loaded (ACTIVE). */
    public record TrafficBundle(String trafficClass, long bundleId, String version, boolean loaded) {
    }

    private TrafficBundles() {
    }

    /** The traffic bundles installed, by class name. */
    public static List<TrafficBundle> list(BundleContext context) {
        List<TrafficBundle> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            String name = b.getSymbolicName();
            if (name != null && name.startsWith(PREFIX) && b.getHeaders().get("Fragment-Host") == null) {
                out.add(new TrafficBundle(name.substring(PREFIX.length()), b.getBundleId(), b.getVersion().toString(),
                        b.getState() == Bundle.ACTIVE));
            }
        }
        out.sort((a, c) -> a.trafficClass().compareTo(c.trafficClass()));
        return out;
    }

    /** Starts ({@code load}) or stops the bundle of a class. @return what was done, in a few words */
    public static String set(BundleContext context, String trafficClass, boolean load) throws BundleException {
        Bundle b = find(context, trafficClass);
        if (load) {
            b.start();
            return trafficClass + " loaded (bundle " + b.getBundleId() + " " + b.getSymbolicName() + " started)";
        }
        b.stop();
        return trafficClass + " unloaded (bundle " + b.getBundleId() + " " + b.getSymbolicName() + " stopped)";
    }

    /** @throws IllegalArgumentException naming the classes there are */
    static Bundle find(BundleContext context, String trafficClass) {
        if (trafficClass == null || !trafficClass.matches("[a-z0-9_-]{1,32}")) {
            throw new IllegalArgumentException("not a traffic class name: " + trafficClass);
        }
        for (Bundle b : context.getBundles()) {
            if ((PREFIX + trafficClass).equals(b.getSymbolicName())) {
                return b;
            }
        }
        List<String> there = new ArrayList<>();
        for (TrafficBundle t : list(context)) {
            there.add(t.trafficClass());
        }
        throw new IllegalArgumentException("no traffic bundle " + PREFIX + trafficClass + " in this runtime; there are: "
                + String.join(", ", there));
    }
}

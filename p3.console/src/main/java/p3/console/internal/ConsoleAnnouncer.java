package p3.console.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.HttpServiceRuntimeConstants;

/**
 * Says where the console is: each endpoint of the HTTP runtime ({@code osgi.http.endpoint}, which
 * tells the port it took when configured with 0) once, on standard output when the framework
 * property {@value #ANNOUNCE_PROPERTY} is {@code true} (the runtime of {@code ./p3 run}), else in
 * the log.
 */
@Component(immediate = true)
public final class ConsoleAnnouncer {

    public static final String ANNOUNCE_PROPERTY = "p3.console.announce";
    private static final Logger LOG = System.getLogger(ConsoleAnnouncer.class.getName());

    private final Console console;
    private final boolean toStdout;
    private final Set<String> announced = ConcurrentHashMap.newKeySet();

    @Activate
    public ConsoleAnnouncer(BundleContext context, @Reference Console console) {
        this.console = console;
        this.toStdout = Boolean.parseBoolean(context.getProperty(ANNOUNCE_PROPERTY));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            service = HttpServiceRuntime.class)
    void bindRuntime(ServiceReference<HttpServiceRuntime> ref) {
        announce(ref);
    }

    void updatedRuntime(ServiceReference<HttpServiceRuntime> ref) {
        announce(ref);
    }

    void unbindRuntime(ServiceReference<HttpServiceRuntime> ref) {
        announced.removeAll(endpoints(ref));
    }

    static List<String> endpoints(ServiceReference<?> ref) {
        Object v = ref.getProperty(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT);
        List<String> out = new ArrayList<>();
        if (v instanceof String s) {
            out.add(s);
        } else if (v instanceof String[] a) {
            out.addAll(List.of(a));
        } else if (v instanceof Iterable<?> i) {
            i.forEach(e -> out.add(String.valueOf(e)));
        }
        return out;
    }

    private void announce(ServiceReference<HttpServiceRuntime> ref) {
        for (String endpoint : endpoints(ref)) {
            if (!announced.add(endpoint)) {
                continue;
            }
            String base = endpoint.endsWith("/") ? endpoint : endpoint + "/";
            String line = "p3: console on " + base + " (" + base + "metrics, " + base + "health); actions need the"
                    + " operator's token in " + console.token().file().toAbsolutePath();
            if (toStdout) {
                System.out.println(line);
            } else {
                LOG.log(Level.INFO, line);
            }
        }
    }
}

package p3.shell.internal;

import static java.lang.System.Logger.Level.DEBUG;

import java.lang.System.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Stops the framework when the JVM is told to exit (SIGTERM, SIGINT), so that components deactivate
 * and peers leave their groups: the launcher of bnd's executable jar does not. Only when the framework
 * property {@value #ENABLE} is {@code true}; the runtime's {@code .bndrun} sets it, tests do not.
 */
@Component(immediate = true)
public final class FrameworkShutdownHook {

    public static final String ENABLE = "p3.shutdownhook";
    static final long WAIT_MS = 10_000;

    private static final Logger LOG = System.getLogger(FrameworkShutdownHook.class.getName());

    /** null when switched off. */
    private final Thread hook;

    @Activate
    public FrameworkShutdownHook(BundleContext context) {
        if (!enabled(context.getProperty(ENABLE))) {
            this.hook = null;
            return;
        }
        Bundle framework = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        this.hook = new Thread(() -> stop(framework), "p3-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.log(DEBUG, "p3.shell: the framework stops when the JVM exits");
    }

    @Deactivate
    public void deactivate() {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook is what stops the framework now
        }
    }

    static boolean enabled(String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.strip().equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException("framework property " + ENABLE + " must be true or false, was '" + value + "'");
    }

    /**
     * Runs on the hook's thread. Reports on System.err: java.util.logging resets its handlers in a
     * shutdown hook of its own, so records logged from here on may be lost.
     */
    private static void stop(Bundle framework) {
        System.err.println("p3.shell: the JVM is exiting: stopping the framework");
        try {
            framework.stop();
            if (framework instanceof Framework f) {
                FrameworkEvent e = f.waitForStop(WAIT_MS);
                System.err.println(e.getType() == FrameworkEvent.WAIT_TIMEDOUT
                        ? "p3.shell: the framework did not stop within " + WAIT_MS + " ms; exiting anyway"
                        : "p3.shell: the framework stopped");
            }
        } catch (BundleException | IllegalStateException e) {
            System.err.println("p3.shell: stopping the framework on exit failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package p3.shell.internal;

import static java.lang.System.Logger.Level.INFO;

import java.io.IOException;
import java.lang.System.Logger;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Gogo shell of this runtime on 127.0.0.1, one command line per connection (protocol in
 * {@link ShellServer}), for {@code ./p3 shell 'CMD'} against a runtime in the background.
 *
 * <p>The port is the {@code port} of configuration {@value #PID} when it is not -1, else the framework
 * property {@value #PORT_PROPERTY}, else {@value #DEFAULT_PORT}; 0 turns the remote shell off. (bnd
 * writes the defaults of {@link Config} into the component description, so "not set" needs a value.)
 */
@Component(immediate = true, configurationPid = RemoteShell.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RemoteShell.Config.class)
public final class RemoteShell {

    public static final String PID = "p3.shell";
    public static final String PORT_PROPERTY = "p3.shell.port";
    public static final int DEFAULT_PORT = 7777;
    static final int UNSET = -1;

    @ObjectClassDefinition(name = "P3 remote shell",
            description = "Runs one Gogo command line per connection on 127.0.0.1, for ./p3 shell")
    public @interface Config {
        @AttributeDefinition(description = "TCP port on 127.0.0.1, 0 turns the remote shell off;"
                + " -1 takes the framework property p3.shell.port, else 7777")
        int port() default UNSET;

        @AttributeDefinition(description = "Longest command line accepted, in bytes")
        int maxLineBytes() default 8192;

        @AttributeDefinition(description = "Time a client has to send its command line, in ms")
        int readTimeoutMs() default 10_000;

        @AttributeDefinition(description = "Commands that may run at once; connections beyond are turned away")
        int maxSessions() default 4;
    }

    private static final Logger LOG = System.getLogger(RemoteShell.class.getName());

    /** null when the remote shell is off. */
    private final ShellServer server;

    @Activate
    public RemoteShell(Config config, BundleContext context, @Reference CommandProcessor processor) {
        int port = port(config.port(), context.getProperty(PORT_PROPERTY));
        ShellServer.Limits limits = limits(config);
        if (port == 0) {
            LOG.log(INFO, "p3.shell: remote shell off (port 0)");
            this.server = null;
            return;
        }
        try {
            this.server = new ShellServer(processor, port, limits);
        } catch (IOException e) {
            throw new IllegalStateException("p3.shell: cannot listen on 127.0.0.1:" + port + " (" + e.getMessage()
                    + "); choose another with port of " + PID + " or the framework property " + PORT_PROPERTY, e);
        }
    }

    @Deactivate
    public void deactivate() {
        if (server != null) {
            server.close();
        }
    }

    /** The port to listen on: the configured one, else the framework property, else the default. */
    static int port(int configured, String frameworkProperty) {
        if (configured != UNSET) {
            return checkPort(configured, "port of configuration " + PID);
        }
        if (frameworkProperty == null || frameworkProperty.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            return checkPort(Integer.parseInt(frameworkProperty.strip()), "framework property " + PORT_PROPERTY);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "framework property " + PORT_PROPERTY + " must be a port number, was '" + frameworkProperty + "'");
        }
    }

    static ShellServer.Limits limits(Config c) {
        if (c.maxLineBytes() < 1) {
            throw new IllegalArgumentException("maxLineBytes of " + PID + " must be positive, was " + c.maxLineBytes());
        }
        if (c.readTimeoutMs() < 1) {
            throw new IllegalArgumentException("readTimeoutMs of " + PID + " must be positive, was " + c.readTimeoutMs());
        }
        if (c.maxSessions() < 1) {
            throw new IllegalArgumentException("maxSessions of " + PID + " must be at least 1, was " + c.maxSessions());
        }
        return new ShellServer.Limits(c.maxLineBytes(), c.readTimeoutMs(), c.maxSessions());
    }

    private static int checkPort(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " must be in 0..65535, was " + port);
        }
        return port;
    }
}

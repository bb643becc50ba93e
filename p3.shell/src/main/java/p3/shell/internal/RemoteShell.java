package p3.shell.internal;

import static java.lang.System.Logger.Level.INFO;

import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

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
 * The Gogo shell of this runtime on a Unix domain socket that only the runtime's user (and root)
 * can open, one command line per connection (protocol in {@link ShellServer}, permissions in
 * {@link ShellSocket}), for {@code ./p3 shell 'CMD'} against a runtime in the background. There is
 * no TCP listener: on TCP, anyone logged in on the host could run any code in the runtime.
 *
 * <p>The socket is the {@code socket} of configuration {@value #PID} when it is not empty, else the
 * framework property {@value #SOCKET_PROPERTY}, else {@value #DEFAULT_SOCKET}; a relative path is
 * relative to the runtime's working folder; {@value #OFF} turns the remote shell off. The TCP port
 * of earlier versions ({@code port} of {@value #PID}, framework property {@value #OLD_PORT_PROPERTY})
 * fails activation with a message that names its replacement. (bnd writes the defaults of
 * {@link Config} into the component description, so "not set" needs a value.)
 */
@Component(immediate = true, configurationPid = RemoteShell.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RemoteShell.Config.class)
public final class RemoteShell {

    public static final String PID = "p3.shell";
    public static final String SOCKET_PROPERTY = "p3.shell.socket";
    public static final String DEFAULT_SOCKET = ".p3/shell.sock";
    static final String OFF = "off";
    static final String OLD_PORT_PROPERTY = "p3.shell.port";
    static final String UNSET = "";

    @ObjectClassDefinition(name = "P3 remote shell",
            description = "Runs one Gogo command line per connection on a Unix domain socket of the runtime's user,"
                    + " for ./p3 shell")
    public @interface Config {
        @AttributeDefinition(description = "Path of the Unix domain socket, relative to the runtime's working folder"
                + " unless absolute; its folder is created owner-only and must not be writable by others; off turns"
                + " the remote shell off; empty takes the framework property p3.shell.socket, else .p3/shell.sock")
        String socket() default UNSET;

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
    public RemoteShell(Config config, Map<String, Object> properties, BundleContext context,
            @Reference CommandProcessor processor) {
        refuseOldPort(properties.get("port"), context.getProperty(OLD_PORT_PROPERTY));
        String socket = socket(config.socket(), context.getProperty(SOCKET_PROPERTY));
        ShellServer.Limits limits = limits(config);
        if (socket.equals(OFF)) {
            LOG.log(INFO, "p3.shell: remote shell off (socket off)");
            this.server = null;
            return;
        }
        try {
            this.server = new ShellServer(processor, Path.of(socket), limits);
        } catch (IOException e) {
            throw new IllegalStateException("p3.shell: cannot listen on " + socket + " (" + e.getMessage()
                    + "); choose another path with socket of " + PID + " or the framework property "
                    + SOCKET_PROPERTY, e);
        }
    }

    @Deactivate
    public void deactivate() {
        if (server != null) {
            server.close();
        }
    }

    /** The socket's path, or {@value #OFF}: the configured one, else the framework property, else the default. */
    static String socket(String configured, String frameworkProperty) {
        if (configured != null && !configured.isBlank()) {
            return checkPath(configured.strip(), "socket of configuration " + PID);
        }
        if (frameworkProperty == null || frameworkProperty.isBlank()) {
            return DEFAULT_SOCKET;
        }
        return checkPath(frameworkProperty.strip(), "framework property " + SOCKET_PROPERTY);
    }

    /** The TCP port of earlier versions is not read any more: say so rather than listen elsewhere unnoticed. */
    static void refuseOldPort(Object configuredPort, String frameworkProperty) {
        String instead = ": the remote shell no longer listens on TCP but on a Unix domain socket of the runtime's"
                + " user; give its path with ";
        if (configuredPort != null) {
            throw new IllegalArgumentException("port of configuration " + PID + " is not read any more (it was "
                    + configuredPort + ")" + instead + "socket of " + PID + " (default " + DEFAULT_SOCKET + ")");
        }
        if (frameworkProperty != null) {
            throw new IllegalArgumentException("framework property " + OLD_PORT_PROPERTY + " is not read any more"
                    + " (it was '" + frameworkProperty + "')" + instead + "the framework property " + SOCKET_PROPERTY
                    + " (default " + DEFAULT_SOCKET + ")");
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

    private static String checkPath(String path, String what) {
        if (path.equals(OFF)) {
            return path;
        }
        try {
            Path p = Path.of(path);
            if (p.getFileName() == null) {
                throw new IllegalArgumentException(what + " must name a socket file, was '" + path + "'");
            }
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(what + " is not a path: '" + path + "' (" + e.getReason() + ")", e);
        }
        return path;
    }
}

package p3.mesh.shell.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.annotation.bundle.Requirement;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.fasterxml.jackson.databind.node.ObjectNode;

import p3.mesh.audit.AuditLog;
import p3.report.base.MeshJson;
import p3.report.base.PrivateFiles;
import p3.report.base.RateLimitedLog;

/**
 * The audit log as a file: one JSON object a line, {@code {"time", "who", "what", "outcome"}},
 * appended, readable by the runtime's owner alone. The file is {@code file} of configuration
 * {@value AuditLog#PID} when set, else the framework property {@value #FILE_PROPERTY}, else
 * {@value #DEFAULT_FILE} under the runtime's working folder. Each record is logged too.
 */
@Requirement(namespace = "osgi.extender", name = "osgi.metatype", version = "1.4",
        resolution = Requirement.Resolution.OPTIONAL)
@Component(configurationPid = AuditLog.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FileAuditLog.Config.class)
public final class FileAuditLog implements AuditLog {

    public static final String FILE_PROPERTY = "p3.audit.file";
    public static final String DEFAULT_FILE = ".p3/audit.log";

    @ObjectClassDefinition(name = "P3 audit log",
            description = "Where every action that changes the mesh (from the shell or the console) is written")
    public @interface Config {
        @AttributeDefinition(description = "The audit file; empty: the framework property p3.audit.file, else"
                + " .p3/audit.log under the working folder")
        String file() default "";
    }

    private static final Logger LOG = System.getLogger(FileAuditLog.class.getName());

    private final Path file;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, 10_000);
    private final AtomicLong failed = new AtomicLong();

    @Activate
    public FileAuditLog(Config config, BundleContext context) {
        this(path(config.file(), context.getProperty(FILE_PROPERTY)));
    }

    FileAuditLog(Path file) {
        this.file = file;
        try {
            PrivateFiles.ensure(file);
        } catch (IOException e) {
            throw new IllegalStateException("p3: cannot create the audit log " + file.toAbsolutePath() + " (" + e
                    + "); set file of configuration " + AuditLog.PID + " or the framework property " + FILE_PROPERTY, e);
        }
        // the JSON writer's classes load now, not on the thread of the first command that changes the mesh
        // (a few hundred ms of class loading there, in the middle of a strategy swap under load)
        MeshJson.write(MeshJson.object());
        LOG.log(Level.INFO, "p3: audit log {0}", file.toAbsolutePath());
    }

    static Path path(String configured, String frameworkProperty) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        if (frameworkProperty != null && !frameworkProperty.isBlank()) {
            return Path.of(frameworkProperty.strip());
        }
        return Path.of(DEFAULT_FILE);
    }

    Path file() {
        return file;
    }

    /** Records that could not be written. */
    long failed() {
        return failed.get();
    }

    @Override
    public void record(String who, String what, String outcome) {
        ObjectNode o = MeshJson.object();
        o.put("time", Instant.now().toString());
        o.put("who", who);
        o.put("what", what);
        o.put("outcome", outcome);
        String line = MeshJson.write(o) + "\n";
        LOG.log(Level.INFO, "p3 audit: {0}: {1}: {2}", who, what, outcome);
        synchronized (this) {
            try {
                Files.write(file, line.getBytes(UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException | RuntimeException e) {
                long n = failed.incrementAndGet();
                failures.log(Level.WARNING, () -> "p3: cannot write the audit log " + file.toAbsolutePath() + ": " + e
                        + " (" + n + " records lost so far)");
            }
        }
    }
}

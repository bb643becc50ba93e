package p3.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;

import org.ops4j.pax.exam.Option;

/** The bundles of a P3 runtime, for Pax Exam: the runtime's services from Maven, ours from the reactor. */
final class P3Options {

    private P3Options() {
    }

    /**
     * The whole runtime's bundles: a peer's, the strategies and services, Gogo and the mesh's shell
     * commands (with Jackson, and the audit log in target/).
     */
    static Option runtime() {
        return composite(
                headless(),
                systemProperty("p3.audit.file").value(target("itest-audit.log")),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.core", "jackson-annotations").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.core", "jackson-core").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.core", "jackson-databind").versionAsInProject(),
                reactorBundle("p3.bundle.meshshell"),
                reactorBundle("p3.bundle.ftactive"),
                reactorBundle("p3.bundle.ftpassive"),
                reactorBundle("p3.bundle.fthybrid"),
                reactorBundle("p3.bundle.audio"),
                reactorBundle("p3.bundle.video"),
                reactorBundle("p3.bundle.event"));
    }

    /**
     * The runtime and the web console on Felix HTTP (Jetty) at 127.0.0.1 on a free port; the
     * operator's token in {@code tokenFile}.
     */
    static Option console(String tokenFile) {
        return composite(
                runtime(),
                systemProperty("org.osgi.service.http.port").value("0"),
                systemProperty("org.apache.felix.http.host").value("127.0.0.1"),
                systemProperty("p3.console.tokenFile").value(tokenFile),
                mavenBundle("org.apache.felix", "org.apache.felix.http.servlet-api").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.http.jetty").versionAsInProject(),
                reactorBundle("p3.bundle.console"));
    }

    /** A file under this module's target/. */
    static String target(String name) {
        return new File(System.getProperty("p3.itest.target", "target"), name).getAbsolutePath();
    }

    /** What a peer needs and nothing more: SCR, Config Admin, Netty, the transport and the mesh. No Gogo. */
    static Option headless() {
        return composite(
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                systemProperty("java.net.preferIPv4Stack").value("true"),
                // the runtime's CA and its peers' keys in target/, not in the module's folder
                systemProperty("p3.security.dir").value(target("itest-pki")),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype").versionAsInProject(),
                mavenBundle("io.netty", "netty-common").versionAsInProject(),
                mavenBundle("io.netty", "netty-buffer").versionAsInProject(),
                mavenBundle("io.netty", "netty-resolver").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport-native-unix-common").versionAsInProject(),
                mavenBundle("io.netty", "netty-codec-base").versionAsInProject(),
                mavenBundle("io.netty", "netty-handler").versionAsInProject(),
                mavenBundle("org.hamcrest", "hamcrest").versionAsInProject(),
                mavenBundle("org.awaitility", "awaitility").versionAsInProject(),
                reactorBundle("p3.bundle.security"),
                reactorBundle("p3.bundle.transport"),
                reactorBundle("p3.bundle.mesh"),
                junitBundles());
    }

    /** A bundle of this build, by the path surefire passes in a system property. */
    static Option reactorBundle(String property) {
        String path = System.getProperty(property);
        if (path == null || !new File(path).isFile()) {
            throw new IllegalStateException(property + " does not name a built bundle: " + path
                    + " (build the reactor first: mvn install)");
        }
        return bundle(new File(path).toURI().toString());
    }
}

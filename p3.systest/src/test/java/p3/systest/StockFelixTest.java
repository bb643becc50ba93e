package p3.systest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.SocketException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * P3 in a stock Felix, as a user who runs one would set it up: the framework from its own jar
 * (launched through the OSGi launching API, no bndrun), the bundles of the features {@code p3} and
 * {@code p3-console} of {@code p3.run/src/main/karaf/features.xml} beside what Felix users add
 * themselves (SCR, Config Admin, Gogo's runtime, Felix HTTP, FileInstall), and one peer's
 * configuration as a file that FileInstall hands to Config Admin. The peer binds, and the console
 * says so.
 */
class StockFelixTest {

    static final Path FEATURES = Path.of(System.getProperty("p3.root", ".."), "p3.run", "src", "main", "karaf",
            "features.xml");
    static final Duration BOUND = Duration.ofSeconds(30);

    /** What Karaf's own features (scr, http-whiteboard) and shell bring, and FileInstall, as Maven coordinates. */
    static final List<String> FELIX_OWN = List.of(
            "org.osgi/org.osgi.util.function/1.2.0", "org.osgi/org.osgi.util.promise/1.3.0",
            "org.osgi/org.osgi.service.component/1.5.1", "org.apache.felix/org.apache.felix.scr/2.2.18",
            "org.apache.felix/org.apache.felix.configadmin/1.9.26", "org.apache.felix/org.apache.felix.fileinstall/3.7.4",
            "org.apache.felix/org.apache.felix.gogo.runtime/1.1.6",
            "org.apache.felix/org.apache.felix.http.servlet-api/" + System.getProperty("p3.felix.http.servlet", "1.2.0"),
            "org.apache.felix/org.apache.felix.http.jetty/" + System.getProperty("p3.felix.http.jetty", "4.2.10"));

    @TempDir
    Path dir;

    @Test
    void thePeerOfAFileConfigurationBindsInAStockFelix() throws Exception {
        Path load = Files.createDirectories(dir.resolve("load"));
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix-cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("felix.fileinstall.dir", load.toString());
        config.put("felix.fileinstall.poll", "100");
        config.put("felix.fileinstall.log.level", "2");
        config.put("org.osgi.service.http.port", "0");
        config.put("org.apache.felix.http.host", "127.0.0.1");
        config.put("p3.console.tokenFile", dir.resolve("console.token").toString());
        config.put("p3.audit.file", dir.resolve("audit.log").toString());
        config.put("p3.security.dir", dir.resolve("pki").toString());
        Framework felix = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        felix.start();
        try {
            BundleContext context = felix.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (String coordinates : FELIX_OWN) {
                installed.add(context.installBundle(file(coordinates).toUri().toString()));
            }
            for (String mvn : featureBundles("p3", "p3-console")) {
                installed.add(context.installBundle(file(mvn).toUri().toString()));
            }
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            Files.writeString(load.resolve("p3.mesh.peer-root.cfg"), String.join("\n", "peerId=root", "role=super",
                    "mesh=stock" + UUID.randomUUID().toString().substring(0, 8), "depth=1",
                    "discoveryPort=" + freeUdpRun(3), "membershipPort=" + freeUdpRun(3), ""), UTF_8);

            await().atMost(BOUND).until(() -> "BOUND".equals(peerState(context, "root")));
            for (Bundle b : installed) {
                assertThat(b.getState()).as(b.getSymbolicName()).isEqualTo(Bundle.ACTIVE);
            }
            String health = await().atMost(BOUND).ignoreExceptions().until(() -> get(endpoint(context) + "health"),
                    h -> h.contains("\"status\":\"up\""));
            assertThat(health).contains("\"root\":\"BOUND\"");
        } finally {
            felix.stop();
            FrameworkEvent stopped = felix.waitForStop(20_000);
            assertThat(stopped.getType()).isEqualTo(FrameworkEvent.STOPPED);
        }
    }

    /** The first of {@code n} UDP ports in a row that are free now (a cell uses its base port + its position). */
    static int freeUdpRun(int n) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base;
            try (DatagramSocket probe = new DatagramSocket(0)) {
                base = probe.getLocalPort();
            }
            if (base + n > 65535) {
                continue;
            }
            List<DatagramSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    held.add(new DatagramSocket(base + i));
                }
                return base;
            } catch (SocketException taken) {
                // try another run
            } finally {
                for (DatagramSocket s : held) {
                    s.close();
                }
            }
        }
        throw new IllegalStateException("no " + n + " free UDP ports in a row");
    }

    /** The mvn: coordinates of the bundles of those features, in order. */
    static List<String> featureBundles(String... features) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(FEATURES.toFile());
        List<String> out = new ArrayList<>();
        NodeList all = doc.getElementsByTagName("feature");
        for (String name : features) {
            boolean found = false;
            for (int i = 0; i < all.getLength(); i++) {
                Element f = (Element) all.item(i);
                if (name.equals(f.getAttribute("name")) && f.getParentNode() == doc.getDocumentElement()) {
                    found = true;
                    NodeList bundles = f.getElementsByTagName("bundle");
                    for (int j = 0; j < bundles.getLength(); j++) {
                        out.add(bundles.item(j).getTextContent().strip().replaceFirst("^mvn:", ""));
                    }
                }
            }
            assertThat(found).as("feature " + name + " in " + FEATURES).isTrue();
        }
        return out;
    }

    /** A bundle's file: P3's from this build's modules, the others from the local Maven repository. */
    static Path file(String coordinates) {
        String[] gav = coordinates.split("/");
        Path p;
        if (gav[0].equals("p3")) {
            assertThat(gav[2]).as(coordinates + ": the version of this build").isEqualTo(System.getProperty("p3.version"));
            p = Path.of(System.getProperty("p3.root", ".."), gav[1], "target", gav[1] + "-" + gav[2] + ".jar");
        } else {
            p = Path.of(System.getProperty("p3.local.repository"), gav[0].replace('.', '/'), gav[1], gav[2],
                    gav[1] + "-" + gav[2] + ".jar");
        }
        assertThat(p).as(coordinates).isRegularFile();
        return p;
    }

    /** The state of a peer service, by reflection: the test sees the framework's classes from outside. */
    static String peerState(BundleContext context, String id) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences("p3.mesh.MeshPeer", "(peerId=" + id + ")");
        if (refs == null) {
            return null;
        }
        Object peer = context.getService(refs[0]);
        try {
            return String.valueOf(peer.getClass().getMethod("state").invoke(peer));
        } finally {
            context.ungetService(refs[0]);
        }
    }

    static String endpoint(BundleContext context) throws Exception {
        ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(osgi.http.endpoint=*)");
        Object e = refs[0].getProperty("osgi.http.endpoint");
        String s = e instanceof String[] a ? a[0] : String.valueOf(e);
        return s.endsWith("/") ? s : s + "/";
    }

    static String get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        try {
            InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream();
            return new String(in.readAllBytes(), UTF_8);
        } finally {
            c.disconnect();
        }
    }
}

package p3.bench.mesh;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/** One line on the machine, for results read later elsewhere (the report's Table II, for us). */
final class ThisMachine {

    private ThisMachine() {
    }

    static String describe() {
        String memory = "";
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = String.format(Locale.ROOT, ", %.1f GiB", os.getTotalMemorySize() / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%s, %d cores%s, %s %s %s, Java %s", processor(),
                Runtime.getRuntime().availableProcessors(), memory, System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    /** The model name of Linux's /proc/cpuinfo; "unknown processor" elsewhere. */
    private static String processor() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown processor");
        } catch (IOException | RuntimeException e) {
            return "unknown processor";
        }
    }
}

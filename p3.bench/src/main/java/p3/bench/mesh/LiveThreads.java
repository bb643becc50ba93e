package p3.bench.mesh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The live threads of this JVM sorted by who made them, by name: P3 names all of its own
 * {@code p3-...}; JGroups names every thread of a channel {@code <what>-<n>,<cluster>,<member>} (its
 * default naming pattern, "cl"), so a comma marks it.
 */
final class LiveThreads {

    private LiveThreads() {
    }

    /** The threads alive now, with the count of cell channels open. */
    static RunResult.Threads now(int cellChannels) {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                names.add(t.getName());
            }
        }
        return count(names, cellChannels);
    }

    static RunResult.Threads count(Collection<String> names, int cellChannels) {
        int p3 = 0;
        int jgroups = 0;
        int other = 0;
        for (String name : names) {
            if (isP3(name)) {
                p3++;
            } else if (isJGroups(name)) {
                jgroups++;
            } else {
                other++;
            }
        }
        return new RunResult.Threads(p3, jgroups, other, cellChannels);
    }

    /** One of P3's own (the bench's cleanup hook, {@code p3-bench-...}, is the bench's). */
    static boolean isP3(String name) {
        return name.startsWith("p3-") && !name.startsWith("p3-bench");
    }

    /** One of a JGroups channel's: {@code ucast-receiver-3,p3.t1234abcd.cell.012,sp07}. */
    static boolean isJGroups(String name) {
        return name.indexOf(',') > 0;
    }
}

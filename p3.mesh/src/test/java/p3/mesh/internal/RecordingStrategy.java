package p3.mesh.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import p3.mesh.spi.FtCell;
import p3.mesh.spi.FtPolicy;
import p3.mesh.spi.FtStrategy;

/**
 * A fault-tolerance strategy for unit tests of the mesh: it records every call into it and into
 * its policies, as "name: call" lines in a journal that several of them may share, and throws from
 * a call when told to.
 */
final class RecordingStrategy implements FtStrategy {

    final String name;
    final List<String> journal;
    /** What attach() and the policy's calls throw, or null. */
    volatile Supplier<? extends Throwable> failAttach;
    volatile Supplier<? extends Throwable> failHeld;
    volatile Supplier<? extends Throwable> failAcknowledged;
    /** The cell of the last attach. */
    volatile FtCell cell;

    RecordingStrategy(String name, List<String> journal) {
        this.name = name;
        this.journal = journal;
    }

    RecordingStrategy(String name) {
        this(name, new CopyOnWriteArrayList<>());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FtPolicy attach(FtCell c) {
        journal.add(name + ": attach");
        throwIf(failAttach);
        this.cell = c;
        return new FtPolicy() {
            @Override
            public void held(String trafficClass) {
                journal.add(name + ": held " + trafficClass);
                throwIf(failHeld);
            }

            @Override
            public void acknowledged(int count) {
                journal.add(name + ": acknowledged " + count);
                throwIf(failAcknowledged);
            }

            @Override
            public void suspected(String mate) {
                journal.add(name + ": suspected " + mate);
            }

            @Override
            public void viewChanged(List<String> members, List<String> gone) {
                journal.add(name + ": view " + members + " gone " + gone);
            }

            @Override
            public void childCellLost(String lost) {
                journal.add(name + ": lost cell " + lost);
            }

            @Override
            public void detach() {
                journal.add(name + ": detach");
            }
        };
    }

    private static void throwIf(Supplier<? extends Throwable> failure) {
        if (failure != null) {
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }
}

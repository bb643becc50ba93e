package p3.transport.internal;

import java.util.Collection;
import java.util.function.Consumer;

import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.stack.Protocol;

/**
 * Passes everything through, and reports the raw suspicions of failure detection on their way up
 * to verification, so that a cell can react before the new view (hybrid FT switches on it).
 */
public final class SuspectTap extends Protocol {

    private final Consumer<Address> onSuspect;

    public SuspectTap(Consumer<Address> onSuspect) {
        this.onSuspect = onSuspect;
    }

    @Override
    public Object up(Event evt) {
        if (evt.getType() == Event.SUSPECT) {
            Collection<Address> suspects = evt.getArg();
            for (Address a : suspects) {
                onSuspect.accept(a);
            }
        }
        return up_prot.up(evt);
    }
}

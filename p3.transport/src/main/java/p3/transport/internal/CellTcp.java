package p3.transport.internal;

import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.TCP;
import org.jgroups.util.Util;

/**
 * JGroups' TCP, whose sockets a simulated crash can close before the rest of the stack stops. Same
 * protocol id as TCP: members of either kind understand each other.
 */
final class CellTcp extends TCP {

    CellTcp() {
        setId(ClassConfigurator.getProtocolId(TCP.class));
    }

    /**
     * Closes the listening socket at once, as a killed process's close would (its connections close
     * with the channel). The channel's own close gets to it only after its shutdown, tens of ms
     * later: meanwhile the listening socket accepts the cell-mates' probes (VerifySuspect), which then
     * find no proof of the crash and wait for the verification's timeout.
     */
    void closeSockets() {
        if (srv != null) {
            Util.close(srv);
        }
    }
}

package p3.mesh.audit;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where every action that changes the mesh is written, whether it came from the shell or the web
 * console: crash, crashcell, leave, a strategy swap, a request, stopping the sources, loading or
 * unloading a traffic class. Refused actions are written too.
 */
@ProviderType
public interface AuditLog {

    /** The configuration of the runtime's audit log. */
    String PID = "p3.audit";

    /**
     * Writes one record, stamped with the time now. Never throws: a record that cannot be written
     * is counted and logged.
     *
     * @param who     where the action came from, e.g. {@code shell (user root)} or {@code console 127.0.0.1:51200}
     * @param what    the action and its arguments, e.g. {@code crash sp03}
     * @param outcome {@code ok}, {@code refused: REASON} or {@code failed: REASON}
     */
    void record(String who, String what, String outcome);
}

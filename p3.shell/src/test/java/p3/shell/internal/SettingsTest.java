package p3.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Where the socket comes from, and which values fail activation. */
class SettingsTest {

    @Test
    void configurationThenFrameworkPropertyThenDefault() {
        assertEquals("/run/a.sock", RemoteShell.socket("/run/a.sock", "/run/b.sock"));
        assertEquals("/run/b.sock", RemoteShell.socket(RemoteShell.UNSET, " /run/b.sock "));
        assertEquals(".p3/shell.sock", RemoteShell.socket(RemoteShell.UNSET, null));
        assertEquals(RemoteShell.DEFAULT_SOCKET, RemoteShell.socket(" ", ""));
        assertEquals("off", RemoteShell.socket("off", null));
        assertEquals("off", RemoteShell.socket(RemoteShell.UNSET, "off"));
    }

    @Test
    void badPathsNameTheirProperty() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RemoteShell.socket(RemoteShell.UNSET, "a\0b"))
                .getMessage().contains("framework property p3.shell.socket"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RemoteShell.socket("/", null))
                .getMessage().contains("socket of configuration p3.shell"));
    }

    @Test
    void theOldTcpPortFailsActivationAndSaysWhatReplacedIt() {
        RemoteShell.refuseOldPort(null, null);
        String m = assertThrows(IllegalArgumentException.class, () -> RemoteShell.refuseOldPort(null, "7777"))
                .getMessage();
        assertTrue(m.contains("p3.shell.port") && m.contains("p3.shell.socket") && m.contains("Unix domain socket"), m);
        m = assertThrows(IllegalArgumentException.class, () -> RemoteShell.refuseOldPort(7001, null)).getMessage();
        assertTrue(m.contains("port of configuration p3.shell") && m.contains("socket of p3.shell"), m);
    }

    @Test
    void shutdownHookSwitch() {
        assertTrue(FrameworkShutdownHook.enabled("true"));
        assertFalse(FrameworkShutdownHook.enabled(null));
        assertFalse(FrameworkShutdownHook.enabled("false"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FrameworkShutdownHook.enabled("yes"))
                .getMessage().contains("p3.shutdownhook"));
    }
}

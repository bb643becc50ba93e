package p3.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Where the port comes from, and which values fail activation. */
class SettingsTest {

    @Test
    void configurationThenFrameworkPropertyThenDefault() {
        assertEquals(7001, RemoteShell.port(7001, "7002"));
        assertEquals(7002, RemoteShell.port(RemoteShell.UNSET, " 7002 "));
        assertEquals(RemoteShell.DEFAULT_PORT, RemoteShell.port(RemoteShell.UNSET, null));
        assertEquals(0, RemoteShell.port(0, null));
    }

    @Test
    void badPortsNameTheirProperty() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RemoteShell.port(RemoteShell.UNSET, "77x"))
                .getMessage().contains("p3.shell.port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RemoteShell.port(70000, null))
                .getMessage().contains("port of configuration p3.shell"));
        assertThrows(IllegalArgumentException.class, () -> RemoteShell.port(RemoteShell.UNSET, "-5"));
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

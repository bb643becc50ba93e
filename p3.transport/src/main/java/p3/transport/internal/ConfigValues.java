package p3.transport.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parsing of the components' configuration strings into the settings' values; a bad value names
 * its property. Here rather than on the settings records, which are plain values of the API.
 */
final class ConfigValues {

    private ConfigValues() {
    }

    static InetAddress address(String property, String value) {
        try {
            return InetAddress.getByName(value.trim());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(property + " is not an address: " + value);
        }
    }

    /** Parses {@code host[port],host[port]} or {@code host:port,host:port}. */
    static List<InetSocketAddress> hosts(String property, String value) {
        List<InetSocketAddress> hosts = new ArrayList<>();
        for (String item : value.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int open = s.indexOf('[');
            int colon = s.lastIndexOf(':');
            String host;
            String port;
            if (open > 0 && s.endsWith("]")) {
                host = s.substring(0, open);
                port = s.substring(open + 1, s.length() - 1);
            } else if (colon > 0) {
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            } else {
                throw new IllegalArgumentException(property + ": expected host[port] or host:port, got " + s);
            }
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + ": bad port in " + s);
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException(property + ": port out of range in " + s);
            }
            hosts.add(new InetSocketAddress(address(property, host), p));
        }
        return hosts;
    }
}

package p3.bench.transport;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

import io.netty.handler.ssl.OpenSsl;
import p3.transport.LinkSettings.TlsProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The transports compared, in the order of the report's rows. */
enum Impl {
    P3("p3", "p3 link", P3LinkTarget::plain),
    TLS_JDK("tls-jdk", "p3 tls jdk", P3LinkTarget.tls(TlsProvider.JDK)),
    TLS_OPENSSL("tls-openssl", "p3 tls openssl", P3LinkTarget.tls(TlsProvider.OPENSSL)),
    BARE("bare", "bare netty", BareNettyTarget::open);

    /** As {@code --impl} and the JSON name it. */
    final String id;
    final String label;
    final BenchTarget.Opener opener;

    Impl(String id, String label, BenchTarget.Opener opener) {
        this.id = id;
        this.label = label;
        this.opener = opener;
    }

    /** Whether this is a P3 link over TLS, compared with the plain {@link #P3} link. */
    boolean tls() {
        return this == TLS_JDK || this == TLS_OPENSSL;
    }

    /** Why this transport cannot run in this JVM, or null when it can. */
    String unavailable() {
        if (this == TLS_OPENSSL && !OpenSsl.isAvailable()) {
            Throwable cause = OpenSsl.unavailabilityCause();
            return "netty-tcnative (OpenSSL/BoringSSL) cannot load here: " + (cause == null ? "no reason given"
                    : cause.toString());
        }
        return null;
    }

    /** Parses an {@link #id}, in any case. */
    static Impl of(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (Impl i : values()) {
            if (i.id.equals(wanted)) {
                return i;
            }
        }
        throw new IllegalArgumentException(id + " is not one of " + String.join(", ", ids()));
    }

    static Iterable<String> ids() {
        return Arrays.stream(values()).map(i -> i.id).toList();
    }

    /** {@code --impl}'s values. */
    static final class Converter implements ITypeConverter<Impl> {
        @Override
        public Impl convert(String value) {
            try {
                return of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --impl}'s candidates, for its help. */
    static final class Ids implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ids().iterator();
        }
    }
}

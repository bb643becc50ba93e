package p3.bench.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One sender and one receiver connected over loopback by the transport under test, in this JVM.
 * {@link #send} is called from one sender thread; what arrives goes to the {@link Arrivals} the
 * target was opened with, on the receiver's event loop.
 */
interface BenchTarget extends AutoCloseable {

    /** Opens a target: both ends up and connected when it returns. */
    @FunctionalInterface
    interface Opener {
        BenchTarget open(int ioThreads, int payloadBytes, Arrivals arrivals) throws Exception;
    }

    /**
     * Sends one frame whose payload is {@code payloadBytes} long and starts with {@code sendNanos} and
     * {@code sequence}, as every application frame would, in a payload array of its own.
     *
     * @return false when refused because the outbound buffer is over its high watermark
     */
    boolean send(long sequence, long sendNanos);

    /** Whether a {@link #send} now would be accepted. */
    boolean isWritable();

    /** Prefix of the names of the event loop threads, to read their CPU time and allocation. */
    String loopThreadPrefix();

    /** Bytes one frame takes on the wire, framing and header included. */
    int wireBytesPerFrame();

    /** Closes both ends and the event loops; nothing of the target runs after it returns. */
    @Override
    void close();

    /** A fresh payload stamped with the send time and the sequence, big-endian, in its first 16 bytes. */
    static byte[] payload(int size, long sendNanos, long sequence) {
        byte[] p = new byte[size];
        Stamp.LONG.set(p, 0, sendNanos);
        Stamp.LONG.set(p, 8, sequence);
        return p;
    }

    /** The minimum payload: the stamp itself. */
    int MIN_PAYLOAD = 16;

    final class Stamp {
        static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

        private Stamp() {
        }
    }
}

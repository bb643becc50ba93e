package p3.mesh.internal;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * Damaged copies of valid encodings, for the fuzz tests of the mesh's codecs: bytes flipped, the
 * end cut off, bytes added, a count or length made absurd. Seeded by the test, so that a failure
 * repeats.
 */
final class Mutations {

    private Mutations() {
    }

    static byte[] mutate(byte[] good, Random r) {
        byte[] b = good.clone();
        switch (r.nextInt(6)) {
        case 0 -> { // a few bytes flipped
            int flips = 1 + r.nextInt(4);
            for (int i = 0; i < flips && b.length > 0; i++) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
        }
        case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1)); // cut
        case 2 -> { // extended with noise
            int was = b.length;
            b = Arrays.copyOf(b, was + 1 + r.nextInt(64));
            for (int i = was; i < b.length; i++) {
                b[i] = (byte) r.nextInt(256);
            }
        }
        case 3 -> { // four bytes anywhere made a huge or negative number, as a count or length would be
            if (b.length >= 4) {
                int at = r.nextInt(b.length - 3);
                int v = r.nextBoolean() ? Integer.MAX_VALUE - r.nextInt(16) : -1 - r.nextInt(16);
                b[at] = (byte) (v >>> 24);
                b[at + 1] = (byte) (v >>> 16);
                b[at + 2] = (byte) (v >>> 8);
                b[at + 3] = (byte) v;
            }
        }
        case 4 -> { // a byte taken out, so that every field after it shifts
            if (b.length > 0) {
                int at = r.nextInt(b.length);
                byte[] shorter = new byte[b.length - 1];
                System.arraycopy(b, 0, shorter, 0, at);
                System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                b = shorter;
            }
        }
        default -> { // flipped, then cut
            if (b.length > 0) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                b = Arrays.copyOf(b, r.nextInt(b.length + 1));
            }
        }
        }
        return b;
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}

package p3.mesh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Helpers for PeerIds, which are plain strings on the wire and in the API. */
public final class PeerIds {
    private PeerIds() {
    }

    /** The Levenshtein distance between two PeerIds, used to choose who takes over a failed peer's work. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /**
     * The candidates at the smallest distance from a failed peer: who takes over its work (report,
     * Listing 8). More than one on a tie: each resends, and the duplicates are dropped downstream.
     */
    public static List<String> closest(String failed, Collection<String> candidates) {
        List<String> out = new ArrayList<>();
        int best = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(failed, c);
            if (d < best) {
                best = d;
                out.clear();
            }
            if (d == best) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Checks a PeerId: 1 to 64 characters of letters, digits, {@code - _ .}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String check(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            throw new IllegalArgumentException("a PeerId has 1 to 64 characters: " + id);
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
                throw new IllegalArgumentException("a PeerId has letters, digits, - _ . only: " + id);
            }
        }
        return id;
    }
}

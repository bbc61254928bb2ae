package dev.sluice.proxy.config;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for misspelt keys and names: the closest candidate by edit distance, if close enough. */
public final class Suggestions {
    private Suggestions() {}

    /** {@code " (did you mean \"x\"?)"}, or {@code ""} when nothing is close. */
    public static String didYouMean(String wrong, Collection<String> candidates) {
        int at = wrong.indexOf('@');
        if (at > 0 && candidates.contains(wrong.substring(0, at))) {
            // name@provider: Sluice reads only files, whose names need no (or the @file) suffix.
            return " (did you mean \"" + wrong.substring(0, at) + "\"? Sluice serves only names from its files)";
        }
        String best = closest(wrong, candidates);
        return best == null ? "" : " (did you mean \"" + best + "\"?)";
    }

    /** The closest candidate within a third of the word's length (at least 2 edits), or null. */
    public static String closest(String wrong, Collection<String> candidates) {
        String best = null;
        int bestDistance = Math.max(2, wrong.length() / 3) + 1;
        for (String candidate : candidates) {
            int d = distance(wrong.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

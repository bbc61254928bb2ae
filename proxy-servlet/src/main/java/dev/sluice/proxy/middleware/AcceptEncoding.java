package dev.sluice.proxy.middleware;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Picks the response encoding from a request's {@code Accept-Encoding}, as Traefik's compress
 * does: highest q-value first, ties broken by the server's order ({@code *} before any named
 * coding, {@code identity} after them); {@code q=0} refuses a coding. No header: the default
 * encoding, if configured. An empty header, {@code identity} winning, or nothing acceptable: none.
 * Where {@code *} wins, the first preferred coding that was not refused is used.
 */
final class AcceptEncoding {
    private static final String ANY = "*";
    private static final String IDENTITY = "identity";

    private final List<String> encodings;
    private final String defaultEncoding;

    /**
     * @param encodings offered codings, most preferred first
     * @param defaultEncoding used without Accept-Encoding (null: then nothing) and first where {@code *} wins
     */
    AcceptEncoding(List<String> encodings, String defaultEncoding) {
        this.encodings = List.copyOf(encodings);
        this.defaultEncoding = defaultEncoding != null && encodings.contains(defaultEncoding) ? defaultEncoding : null;
    }

    /** The coding to use, or null for none; {@code headers} are the request's Accept-Encoding lines. */
    String choose(Enumeration<String> headers) {
        if (headers == null || !headers.hasMoreElements()) {
            return defaultEncoding;
        }
        List<String> lines = new ArrayList<>();
        headers.asIterator().forEachRemaining(lines::add);
        if (lines.size() == 1 && lines.get(0).isBlank()) {
            return null; // RFC 9110: an empty value asks for no coding at all
        }
        record Candidate(String coding, double weight, int rank) {}
        List<Candidate> accepted = new ArrayList<>();
        Set<String> refused = new HashSet<>();
        for (String line : lines) {
            for (String item : line.replace(" ", "").replace("\t", "").split(",")) {
                String[] parts = item.split(";", 2);
                String coding = parts[0].toLowerCase(Locale.ROOT);
                int rank = rank(coding);
                if (rank == Integer.MIN_VALUE) {
                    continue;
                }
                double weight = parts.length > 1 ? weight(parts[1]) : 1.0;
                if (weight <= 0) {
                    refused.add(coding);
                } else {
                    accepted.add(new Candidate(coding, weight, rank));
                }
            }
        }
        Candidate best = accepted.stream()
                .min(Comparator.comparingDouble(Candidate::weight).reversed().thenComparingInt(Candidate::rank))
                .orElse(null);
        if (best == null || best.coding.equals(IDENTITY)) {
            return null;
        }
        if (!best.coding.equals(ANY)) {
            return best.coding;
        }
        if (defaultEncoding != null && !refused.contains(defaultEncoding)) {
            return defaultEncoding;
        }
        return encodings.stream().filter(e -> !refused.contains(e)).findFirst().orElse(null);
    }

    /** Server preference: lower first; MIN_VALUE for codings not offered. */
    private int rank(String coding) {
        if (coding.equals(ANY)) {
            return -1;
        }
        if (coding.equals(IDENTITY)) {
            return encodings.size();
        }
        int index = encodings.indexOf(coding);
        return index < 0 ? Integer.MIN_VALUE : index;
    }

    /** {@code q=0.5}; anything unreadable counts as 0 (refused), as in Traefik. */
    private static double weight(String parameter) {
        if (!parameter.toLowerCase(Locale.ROOT).startsWith("q=")) {
            return 1.0;
        }
        try {
            return Double.parseDouble(parameter.substring(2));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

package dev.sluice.standalone;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: a scrape in the Prometheus text format (0.0.4, or OpenMetrics 1.0), parsed into its
 * samples, to check values by name and labels. Parsing is strict: a line it cannot read fails the test.
 */
final class MetricsText {
    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
        boolean has(Map<String, String> wanted) {
            return labels.entrySet().containsAll(wanted.entrySet());
        }
    }

    final String text;
    final List<Sample> samples = new ArrayList<>();
    final Map<String, String> types = new LinkedHashMap<>();

    private MetricsText(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                types.put(parts[0], parts[1]);
            } else if (!line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
    }

    static MetricsText parse(String text) {
        return new MetricsText(text);
    }

    /** The sum of the samples called {@code name} having at least these labels ({@code "code", "200", ...}); 0 if none. */
    double sum(String name, String... labelPairs) {
        Map<String, String> wanted = pairs(labelPairs);
        return samples.stream().filter(s -> s.name.equals(name) && s.has(wanted)).mapToDouble(Sample::value).sum();
    }

    /** The samples called {@code name} having at least these labels. */
    List<Sample> find(String name, String... labelPairs) {
        Map<String, String> wanted = pairs(labelPairs);
        return samples.stream().filter(s -> s.name.equals(name) && s.has(wanted)).toList();
    }

    /** The one sample called {@code name} with these labels; fails if there is not exactly one. */
    double value(String name, String... labelPairs) {
        List<Sample> found = find(name, labelPairs);
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + pairs(labelPairs) + ", found " + found);
        }
        return found.get(0).value;
    }

    boolean hasName(String name) {
        return samples.stream().anyMatch(s -> s.name.equals(name));
    }

    private static Map<String, String> pairs(String... labelPairs) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            wanted.put(labelPairs[i], labelPairs[i + 1]);
        }
        return wanted;
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                if (line.charAt(eq + 1) != '"') {
                    throw new AssertionError("unquoted label value: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            rest = i + 2;
        } else {
            name = line.substring(0, space);
            rest = space + 1;
        }
        String[] fields = line.substring(rest).trim().split(" ");
        return new Sample(name, labels, parseValue(fields[0]));
    }

    private static double parseValue(String value) {
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }
}

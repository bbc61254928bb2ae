package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The users of {@code basicAuth} and {@code digestAuth}: lines of the {@code usersFile} (htpasswd or
 * htdigest; blank lines and {@code #} comments skipped) and then the inline {@code users}, which
 * override file entries with the same key, as in Traefik.
 */
public final class UserTable {
    /** Splits one line into its key (user, or user:realm) and secret, or names what is wrong with it. */
    public interface LineFormat {
        /** {@code {key, secret}}; throws IllegalArgumentException with a short reason. */
        String[] split(String line);
    }

    private UserTable() {}

    /**
     * The users by key, every problem reported under {@code path} (the middleware's key path): an
     * unreadable file, a bad line (by its number), or no users at all.
     */
    public static Map<String, String> load(String path, List<String> users, String usersFile, LineFormat format, Problems problems) {
        Map<String, String> table = new LinkedHashMap<>();
        if (usersFile != null && !usersFile.isBlank()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(usersFile));
            } catch (IOException | RuntimeException e) {
                problems.add(path + ".usersFile", "cannot read " + usersFile + " (" + e.getClass().getSimpleName() + ")");
                lines = List.of();
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    add(table, line, format, problems, path + ".usersFile", usersFile + " line " + (i + 1) + ": ");
                }
            }
        }
        for (int i = 0; i < users.size(); i++) {
            add(table, users.get(i).trim(), format, problems, path + ".users[" + i + "]", "");
        }
        if (table.isEmpty() && problems.isEmpty()) {
            problems.add(path + ".users", "no users: give users or a usersFile with at least one entry");
        }
        return table;
    }

    private static void add(Map<String, String> table, String line, LineFormat format, Problems problems, String key, String where) {
        try {
            String[] entry = format.split(line);
            table.put(entry[0], entry[1]);
        } catch (IllegalArgumentException e) {
            problems.add(key, where + e.getMessage());
        }
    }

    /** As {@link #load}, for building a filter from validated options: a problem now (a file changed since) is an error. */
    public static Map<String, String> loadOrThrow(String path, List<String> users, String usersFile, LineFormat format) {
        Problems problems = new Problems();
        Map<String, String> table = load(path, users, usersFile, format, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems.messages()));
        }
        return table;
    }
}

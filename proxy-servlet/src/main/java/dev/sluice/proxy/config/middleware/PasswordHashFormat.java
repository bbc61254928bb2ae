package dev.sluice.proxy.config.middleware;

/** The htpasswd hash formats {@code basicAuth} accepts, as Traefik does: bcrypt, Apache MD5 and SHA-1. */
public enum PasswordHashFormat {
    BCRYPT, APR1, SHA1;

    /** The format of {@code hash}, or null if it is none of them (plain text and crypt(3) are refused). */
    public static PasswordHashFormat of(String hash) {
        if (hash.startsWith("$2y$") || hash.startsWith("$2a$") || hash.startsWith("$2b$")) {
            return BCRYPT;
        }
        if (hash.startsWith("$apr1$")) {
            return APR1;
        }
        if (hash.startsWith("{SHA}")) {
            return SHA1;
        }
        return null;
    }

    /** {@code name:hash} of an htpasswd line, checked. */
    public static String[] splitLine(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected name:hash");
        }
        String hash = line.substring(colon + 1);
        if (of(hash) == null) {
            throw new IllegalArgumentException("user " + line.substring(0, colon)
                    + ": unknown hash format (use bcrypt $2y$, Apache MD5 $apr1$ or {SHA})");
        }
        return new String[] {line.substring(0, colon), hash};
    }
}

package dev.sluice.proxy.middleware.auth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The parameters of an {@code Authorization: Digest ...} value (RFC 7616 §3.4), names in lower case. */
final class DigestCredentials {
    private DigestCredentials() {}

    /** The parameters, or null if {@code authorization} is no Digest value or is malformed. */
    static Map<String, String> parse(String authorization) {
        if (authorization == null || authorization.length() < 7 || !authorization.regionMatches(true, 0, "Digest ", 0, 7)) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        String s = authorization.substring(7);
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                return i >= s.length() ? params : null;
            }
            String name = s.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < s.length() && s.charAt(i) == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    value.append(s.charAt(i++));
                }
                if (i >= s.length()) {
                    return null; // unterminated quoted string
                }
                i++;
            } else {
                while (i < s.length() && s.charAt(i) != ',') {
                    value.append(s.charAt(i++));
                }
            }
            params.put(name, value.toString().trim());
        }
        return params;
    }
}

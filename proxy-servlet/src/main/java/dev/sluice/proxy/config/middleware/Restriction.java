package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.Problems;

/** What Pingap's restriction plugins share: {@code type} allow (only listed pass) or deny (listed are refused), and the 403 body. */
public final class Restriction {
    public static final String DEFAULT_MESSAGE = "Request is forbidden";

    private Restriction() {}

    static String type(String type) {
        return type == null ? "allow" : type;
    }

    static String message(String message) {
        return message == null || message.isEmpty() ? DEFAULT_MESSAGE : message;
    }

    static void checkType(String key, String type, Problems problems) {
        if (!type.equals("allow") && !type.equals("deny")) {
            problems.add(key + ".type", "must be \"allow\" or \"deny\", got \"" + type + "\"");
        }
    }
}

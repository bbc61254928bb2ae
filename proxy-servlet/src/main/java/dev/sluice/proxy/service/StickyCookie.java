package dev.sluice.proxy.service;

import dev.sluice.proxy.config.StickyConfig;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * {@code sticky.cookie}: remembers which target served a client. The value is a SHA-256-derived
 * token of the target's identity, so the cookie never shows a server address.
 */
public final class StickyCookie {
    private final String name;
    private final String attributes;

    public StickyCookie(StickyConfig.Cookie config, String serviceName) {
        this.name = config.name() != null && !config.name().isBlank() ? config.name() : defaultName(serviceName);
        StringBuilder attrs = new StringBuilder("; Path=").append(config.path());
        if (config.domain() != null && !config.domain().isBlank()) {
            attrs.append("; Domain=").append(config.domain());
        }
        if (config.maxAge() > 0) {
            attrs.append("; Max-Age=").append(config.maxAge());
        } else if (config.maxAge() < 0) {
            attrs.append("; Max-Age=0");
        }
        if (config.secure()) {
            attrs.append("; Secure");
        }
        if (config.httpOnly()) {
            attrs.append("; HttpOnly");
        }
        if (config.sameSite() != null && !config.sameSite().isBlank()) {
            String s = config.sameSite().toLowerCase(Locale.ROOT);
            attrs.append("; SameSite=").append(Character.toUpperCase(s.charAt(0))).append(s.substring(1));
        }
        this.attributes = attrs.toString();
    }

    public String name() {
        return name;
    }

    /** The value the client sent, or null. */
    public String read(HttpServletRequest request) {
        return cookieValue(request, name);
    }

    /** The value of the request's cookie {@code name}, or null. */
    static String cookieValue(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (name.equals(cookie.getName())) {
                    return cookie.getValue();
                }
            }
        }
        return null;
    }

    /** Tells the client to come back to the target whose value is {@code value}. */
    public void write(HttpServletResponse response, String value) {
        response.addHeader("Set-Cookie", name + "=" + value + attributes);
    }

    /** Traefik-style default: {@code _} and five hex digits of the SHA-1 of the service name. */
    static String defaultName(String serviceName) {
        return "_" + hex("SHA-1", serviceName).substring(0, 5);
    }

    /** 16 hex digits of the SHA-256 of a target's identity. */
    static String valueFor(String identity) {
        return hex("SHA-256", identity).substring(0, 16);
    }

    private static String hex(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}

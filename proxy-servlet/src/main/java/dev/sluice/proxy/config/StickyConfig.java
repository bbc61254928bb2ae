package dev.sluice.proxy.config;

/** {@code sticky}: session affinity; only {@code cookie} exists, as in Traefik. */
public record StickyConfig(Cookie cookie) {
    /**
     * {@code sticky.cookie}.
     *
     * @param name cookie name; default derived from the service name
     * @param secure the {@code Secure} attribute
     * @param httpOnly the {@code HttpOnly} attribute
     * @param sameSite {@code none}, {@code lax} or {@code strict}; absent by default
     * @param maxAge seconds; 0 (default) = session cookie, negative = expire now
     * @param path default {@code /}
     * @param domain absent by default
     */
    public record Cookie(String name, Boolean secure, Boolean httpOnly, String sameSite, Integer maxAge, String path, String domain) {
        public Cookie {
            secure = secure != null && secure;
            httpOnly = httpOnly != null && httpOnly;
            maxAge = maxAge == null ? 0 : maxAge;
            path = path == null ? "/" : path;
        }
    }
}

package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code headers}: Traefik's Headers middleware — custom request and response headers (an empty
 * value removes), CORS (preflights answered here), and the security headers of unrolled/secure.
 * Every option is off by default; {@code accessControlMaxAge} and {@code stsSeconds} unset mean no
 * header at all.
 */
public record HeadersConfig(
        Map<String, String> customRequestHeaders,
        Map<String, String> customResponseHeaders,
        Boolean accessControlAllowCredentials,
        List<String> accessControlAllowHeaders,
        List<String> accessControlAllowMethods,
        List<String> accessControlAllowOriginList,
        List<String> accessControlAllowOriginListRegex,
        List<String> accessControlExposeHeaders,
        Long accessControlMaxAge,
        Boolean addVaryHeader,
        List<String> allowedHosts,
        List<String> hostsProxyHeaders,
        Map<String, String> sslProxyHeaders,
        Long stsSeconds,
        Boolean stsIncludeSubdomains,
        Boolean stsPreload,
        Boolean forceSTSHeader,
        Boolean frameDeny,
        String customFrameOptionsValue,
        Boolean contentTypeNosniff,
        Boolean browserXssFilter,
        String customBrowserXSSValue,
        String contentSecurityPolicy,
        String contentSecurityPolicyReportOnly,
        String publicKey,
        String referrerPolicy,
        String permissionsPolicy,
        Boolean isDevelopment) implements MiddlewareOptions {

    public HeadersConfig {
        customRequestHeaders = ordered(customRequestHeaders);
        customResponseHeaders = ordered(customResponseHeaders);
        accessControlAllowCredentials = Boolean.TRUE.equals(accessControlAllowCredentials);
        accessControlAllowHeaders = list(accessControlAllowHeaders);
        accessControlAllowMethods = list(accessControlAllowMethods);
        accessControlAllowOriginList = list(accessControlAllowOriginList);
        accessControlAllowOriginListRegex = list(accessControlAllowOriginListRegex);
        accessControlExposeHeaders = list(accessControlExposeHeaders);
        addVaryHeader = Boolean.TRUE.equals(addVaryHeader);
        allowedHosts = list(allowedHosts);
        hostsProxyHeaders = list(hostsProxyHeaders);
        sslProxyHeaders = ordered(sslProxyHeaders);
        stsIncludeSubdomains = Boolean.TRUE.equals(stsIncludeSubdomains);
        stsPreload = Boolean.TRUE.equals(stsPreload);
        forceSTSHeader = Boolean.TRUE.equals(forceSTSHeader);
        frameDeny = Boolean.TRUE.equals(frameDeny);
        customFrameOptionsValue = text(customFrameOptionsValue);
        contentTypeNosniff = Boolean.TRUE.equals(contentTypeNosniff);
        browserXssFilter = Boolean.TRUE.equals(browserXssFilter);
        customBrowserXSSValue = text(customBrowserXSSValue);
        contentSecurityPolicy = text(contentSecurityPolicy);
        contentSecurityPolicyReportOnly = text(contentSecurityPolicyReportOnly);
        publicKey = text(publicKey);
        referrerPolicy = text(referrerPolicy);
        permissionsPolicy = text(permissionsPolicy);
        isDevelopment = Boolean.TRUE.equals(isDevelopment);
    }

    private static Map<String, String> ordered(Map<String, String> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    private static List<String> list(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    /** Traefik's test for the CORS part: any CORS option set, even to its zero value for the max age. */
    public boolean hasCors() {
        return accessControlAllowCredentials || !accessControlAllowHeaders.isEmpty() || !accessControlAllowMethods.isEmpty()
                || !accessControlAllowOriginList.isEmpty() || !accessControlAllowOriginListRegex.isEmpty()
                || !accessControlExposeHeaders.isEmpty() || accessControlMaxAge != null || addVaryHeader;
    }

    /** Traefik's test for the unrolled/secure part. */
    public boolean hasSecurity() {
        return !allowedHosts.isEmpty() || !hostsProxyHeaders.isEmpty() || !sslProxyHeaders.isEmpty() || stsSeconds != null
                || stsIncludeSubdomains || stsPreload || forceSTSHeader || frameDeny || !customFrameOptionsValue.isEmpty()
                || contentTypeNosniff || browserXssFilter || !customBrowserXSSValue.isEmpty() || !contentSecurityPolicy.isEmpty()
                || !contentSecurityPolicyReportOnly.isEmpty() || !publicKey.isEmpty() || !referrerPolicy.isEmpty()
                || !permissionsPolicy.isEmpty() || isDevelopment;
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (customRequestHeaders.isEmpty() && customResponseHeaders.isEmpty() && !hasCors() && !hasSecurity()) {
            problems.add(path, "no option set: a headers middleware needs at least one (as in Traefik)");
        }
        HeaderSyntax.checkMap(path + ".customRequestHeaders", customRequestHeaders, problems);
        HeaderSyntax.checkMap(path + ".customResponseHeaders", customResponseHeaders, problems);
        HeaderSyntax.checkMap(path + ".sslProxyHeaders", sslProxyHeaders, problems);
        for (int i = 0; i < hostsProxyHeaders.size(); i++) {
            HeaderSyntax.checkName(path + ".hostsProxyHeaders[" + i + "]", hostsProxyHeaders.get(i), problems);
        }
        for (int i = 0; i < accessControlAllowOriginListRegex.size(); i++) {
            try {
                Pattern.compile(accessControlAllowOriginListRegex.get(i));
            } catch (PatternSyntaxException e) {
                problems.add(path + ".accessControlAllowOriginListRegex[" + i + "]",
                        "invalid regular expression \"" + e.getPattern() + "\": " + e.getDescription());
            }
        }
        if (stsSeconds != null && stsSeconds < 0) {
            problems.add(path + ".stsSeconds", "must be 0 or more, got " + stsSeconds);
        }
        checkValues(path, problems, Map.of(
                "customFrameOptionsValue", customFrameOptionsValue,
                "customBrowserXSSValue", customBrowserXSSValue,
                "contentSecurityPolicy", contentSecurityPolicy,
                "contentSecurityPolicyReportOnly", contentSecurityPolicyReportOnly,
                "publicKey", publicKey,
                "referrerPolicy", referrerPolicy,
                "permissionsPolicy", permissionsPolicy));
    }

    private static void checkValues(String path, Problems problems, Map<String, String> values) {
        values.forEach((option, value) -> {
            if (!HeaderSyntax.isValue(value)) {
                problems.add(path + "." + option, "header values cannot contain CR, LF or NUL");
            }
        });
    }
}

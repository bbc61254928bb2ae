package dev.sluice.proxy.servlet;

import dev.sluice.proxy.rule.QueryString;
import dev.sluice.proxy.rule.RoutingPath;
import dev.sluice.proxy.rule.RuleRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The facts a rule looks at, read from a servlet request on first use only.
 */
final class ServletRuleRequest implements RuleRequest {
    private final HttpServletRequest request;
    private String host;
    private String path;
    private Map<String, List<String>> query;
    private InetAddress client;

    ServletRuleRequest(HttpServletRequest request) {
        this.request = request;
    }

    @Override
    public String host() {
        if (host == null) {
            String name = request.getServerName();
            host = name == null ? "" : stripBrackets(name.toLowerCase(Locale.ROOT));
        }
        return host;
    }

    @Override
    public String path() {
        if (path == null) {
            path = RoutingPath.of(request.getRequestURI().substring(request.getContextPath().length()));
        }
        return path;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public boolean anyHeaderValue(String name, Predicate<String> test) {
        for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
            if (test.test(values.nextElement())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean anyQueryValue(String key, Predicate<String> test) {
        List<String> values = query().get(key);
        if (values == null) {
            return false;
        }
        for (String value : values) {
            if (test.test(value)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public InetAddress clientAddress() {
        if (client == null) {
            client = parseAddress(request.getRemoteAddr());
        }
        return client;
    }

    private Map<String, List<String>> query() {
        if (query == null) {
            query = QueryString.parse(request.getQueryString());
        }
        return query;
    }

    /** Parses the IP literal the container gives; never a DNS lookup. */
    static InetAddress parseAddress(String address) {
        if (address == null || address.isEmpty()) {
            return null;
        }
        String literal = stripBrackets(address);
        if (!(literal.indexOf(':') >= 0 || Character.isDigit(literal.charAt(0)))) {
            return null;
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String stripBrackets(String s) {
        return s.length() > 1 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']' ? s.substring(1, s.length() - 1) : s;
    }
}

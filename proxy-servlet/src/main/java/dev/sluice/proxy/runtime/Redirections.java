package dev.sluice.proxy.runtime;

import dev.sluice.proxy.config.EntryPointAddress;
import dev.sluice.proxy.config.EntryPointConfig;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.middleware.RedirectScheme;
import dev.sluice.proxy.route.Router;
import dev.sluice.proxy.rule.RuleParser;
import dev.sluice.proxy.rule.RuleSyntaxException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.function.ToIntFunction;

/**
 * {@code entryPoints.NAME.http.redirections.entryPoint}, as Traefik builds it: a plain router of
 * the entry point, above the others by default, matching every request with a host but the ACME
 * HTTP-01 challenges, whose one middleware is {@code redirectScheme} to the target entry point's port.
 */
final class Redirections {
    /** The service of the redirecting routers: their middleware always answers first. */
    static final String NOOP = "noop@internal";
    private static final RuleParser.HttpRule EVERY_HOST_BUT_ACME = rule();

    private Redirections() {}

    private static RuleParser.HttpRule rule() {
        try {
            return RuleParser.compile("HostRegexp(`.+`) && !PathPrefix(`/.well-known/acme-challenge/`)");
        } catch (RuleSyntaxException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The name of the router redirecting entry point {@code from}. */
    static String routerName(String from) {
        return "redirect-" + from + "@internal";
    }

    static Router router(String from, EntryPointConfig.RedirectEntryPoint redirect) {
        return new Router(routerName(from), redirect.priority(), EVERY_HOST_BUT_ACME.matcher(), NOOP, java.util.List.of(), false);
    }

    /**
     * The redirecting middleware; the port is the target entry point's configured one, or the one it
     * listens on when configured as 0 ({@code listening} answers -1 when it does not know).
     */
    static Filter filter(SluiceConfig config, EntryPointConfig.RedirectEntryPoint redirect, ToIntFunction<String> listening) {
        String to = redirect.to();
        if (to.startsWith(":")) {
            return new RedirectScheme(redirect.scheme(), to.substring(1), redirect.permanent());
        }
        int configured = EntryPointAddress.parse(config.entryPoints().get(to).address()).port();
        if (configured != 0) {
            return new RedirectScheme(redirect.scheme(), Integer.toString(configured), redirect.permanent());
        }
        return new ToListeningPort(redirect, listening);
    }

    /** The redirect to an entry point on port 0: its port is only known once it listens. */
    private static final class ToListeningPort implements Filter {
        private final EntryPointConfig.RedirectEntryPoint redirect;
        private final ToIntFunction<String> listening;
        /** The redirect for the port last seen; replaced whole, so a reader never pairs one port with another's redirect. */
        private volatile Current current;

        private record Current(int port, RedirectScheme redirect) {}

        ToListeningPort(EntryPointConfig.RedirectEntryPoint redirect, ToIntFunction<String> listening) {
            this.redirect = redirect;
            this.listening = listening;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            int port = listening.applyAsInt(redirect.to());
            Current seen = current;
            if (seen == null || seen.port() != port) {
                seen = new Current(port, new RedirectScheme(redirect.scheme(), port > 0 ? Integer.toString(port) : "", redirect.permanent()));
                current = seen;
            }
            seen.redirect().doFilter(request, response, chain);
        }
    }
}

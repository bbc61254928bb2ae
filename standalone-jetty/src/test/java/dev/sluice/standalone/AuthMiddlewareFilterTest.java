package dev.sluice.standalone;

import static dev.sluice.standalone.AuthTestSupport.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.servlet.MiddlewareFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Map;
import org.apache.commons.codec.digest.Md5Crypt;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The auth middlewares declared as a web application would in web.xml: {@link MiddlewareFilter} with
 * init-params, in front of a plain servlet of the application, in an embedded Jetty servlet context.
 */
class AuthMiddlewareFilterTest {
    private Server server;
    private Backend authServer;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (authServer != null) {
            authServer.close();
        }
    }

    /** The application's own servlet: says who the request claims to be. */
    public static final class Hello extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print("hello " + request.getHeader("X-User"));
        }
    }

    private URI start(Map<String, String> initParams) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app");
        FilterHolder filter = new FilterHolder(MiddlewareFilter.class);
        filter.setName("auth");
        filter.setAsyncSupported(true);
        filter.setInitParameters(initParams);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder servlet = new ServletHolder(Hello.class);
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, "/*");
        server.setHandler(context);
        server.start();
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/app/hello");
    }

    @Test
    void basicAuthInFrontOfAServlet() throws Exception {
        URI uri = start(Map.of("type", "basicAuth",
                "users", "[\"ann:" + Md5Crypt.apr1Crypt("pw") + "\"]",
                "realm", "My App",
                "headerField", "X-User"));
        HttpResponse<String> refused = AuthTestSupport.get(uri);
        assertEquals(401, refused.statusCode());
        assertEquals("Basic realm=\"My App\"", refused.headers().firstValue("WWW-Authenticate").orElseThrow());
        HttpResponse<String> ok = AuthTestSupport.get(uri, "Authorization", basic("ann", "pw"));
        assertEquals(200, ok.statusCode());
        assertEquals("hello ann", ok.body());
    }

    @Test
    void forwardAuthResumesAPlainServletAndCompletesIt() throws Exception {
        authServer = new Backend("auth");
        URI uri = start(Map.of("type", "forwardAuth",
                "address", authServer.url() + "/respond?status=200&header=X-User:from-auth",
                "authResponseHeaders", "[\"X-User\"]"));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = AuthTestSupport.get(uri);
            assertEquals(200, ok.statusCode());
            assertEquals("hello from-auth", ok.body());
        }
        assertEquals("/app/hello", authServer.take().headers().get("X-Forwarded-Uri"));
    }

    @Test
    void aBadOptionFailsTheApplicationsStartNamingIt() {
        Exception e = assertThrows(Exception.class, () -> start(Map.of("type", "basicAuth", "realm", "x")));
        Throwable cause = e;
        while (cause.getCause() != null && !cause.getMessage().contains("basicAuth")) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("http.middlewares.auth.basicAuth.users: no users"), cause.getMessage());
    }
}

package dev.sluice.standalone;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * 421 Misdirected Request, as Traefik's {@code snicheck}: a request over TLS whose {@code Host} selects
 * other TLS options than the SNI name its connection was handshaken with is refused, so that a client
 * cannot reach a host that demands a client certificate (or TLS 1.3 only) through a connection opened
 * for a host that does not. Plain requests, and TLS ones whose names agree, go on.
 */
final class MisdirectedRequestHandler extends Handler.Wrapper {
    private static final String BODY = "Misdirected Request\n"; // as Go's http.Error writes it

    MisdirectedRequestHandler(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!TlsConnectionFactory.misdirected(request)) {
            return super.handle(request, response, callback);
        }
        response.setStatus(HttpStatus.MISDIRECTED_REQUEST_421);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, StandardCharsets.UTF_8.encode(BODY), callback);
        return true;
    }
}

package dev.sluice.standalone;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Request targets that name no resource, answered before routing as Go's server (hence Traefik)
 * does: {@code OPTIONS *} gets 200 with an empty body; {@code CONNECT} (Sluice is no forward proxy)
 * gets 501 and the connection is closed, instead of a tunnel or a request routed by its authority.
 */
final class RequestTargetHandler extends Handler.Wrapper {
    private static final String NOT_IMPLEMENTED = "Not Implemented: CONNECT\n";

    RequestTargetHandler(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (HttpMethod.CONNECT.is(method)) {
            response.setStatus(HttpStatus.NOT_IMPLEMENTED_501);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.write(true, StandardCharsets.UTF_8.encode(NOT_IMPLEMENTED), callback);
            return true;
        }
        if (HttpMethod.OPTIONS.is(method) && "*".equals(request.getHttpURI().getPath())) {
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
            callback.succeeded();
            return true;
        }
        return super.handle(request, response, callback);
    }
}

package dev.sluice.standalone;

import dev.sluice.proxy.tls.acme.Http01Challenges;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * ACME HTTP-01 on every HTTP entry point: {@code GET /.well-known/acme-challenge/TOKEN} is answered here,
 * before routing and before any redirection, with {@code 200 text/plain} and the key authorization of a
 * pending challenge, or {@code 404}. Only while some ACME resolver runs; otherwise the path is routed as
 * any other.
 */
final class AcmeChallengeHandler extends Handler.Wrapper {
    private final AcmeCertificates acme;

    AcmeChallengeHandler(Handler handler, AcmeCertificates acme) {
        super(handler);
        this.acme = acme;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (path == null || !path.startsWith(Http01Challenges.PATH_PREFIX) || !acme.active()) {
            return super.handle(request, response, callback);
        }
        String token = path.substring(Http01Challenges.PATH_PREFIX.length());
        boolean get = HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
        Optional<String> answer = get && !token.isEmpty() && token.indexOf('/') < 0 ? acme.keyAuthorization(token) : Optional.empty();
        response.setStatus(answer.isPresent() ? HttpStatus.OK_200 : HttpStatus.NOT_FOUND_404);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, StandardCharsets.UTF_8.encode(answer.orElse("no such ACME challenge")), callback);
        return true;
    }
}

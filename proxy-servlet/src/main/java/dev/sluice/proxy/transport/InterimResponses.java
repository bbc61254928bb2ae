package dev.sluice.proxy.transport;

import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.client.ProcessingProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Swallows an upstream's interim answers (102 Processing, 103 Early Hints, an unasked-for 100, any
 * other 1xx but 101) so that only the final answer reaches the proxy, and bounds them: after
 * {@link #MAX} on one request, the request fails (a 502). Without this handler a 1xx reached the
 * proxy as if it were the final answer, and it stopped the response-header timeout, so an upstream
 * that sent interim answers forever held the client forever.
 *
 * <p>Registered after the client's 100-continue handler, which takes the 100 a request with
 * {@code Expect: 100-continue} waits for. 101 is the answer to an upgrade and stays with whoever asked.
 */
final class InterimResponses extends ProcessingProtocolHandler {
    /** Interim answers allowed before the final one: a few Early Hints are normal, more is a broken upstream. */
    static final int MAX = 10;
    private static final String COUNT = InterimResponses.class.getName() + ".count";

    @Override
    public String getName() {
        return "sluice-interim";
    }

    @Override
    public boolean accept(Request request, Response response) {
        return HttpStatus.isInterim(response.getStatus()) && response.getStatus() != HttpStatus.SWITCHING_PROTOCOLS_101;
    }

    @Override
    protected void onProcessing(Request request, HttpFields headers) {
        // One request's interim answers arrive one after the other, on its connection's thread.
        int count = request.getAttributes().get(COUNT) instanceof Integer seen ? seen + 1 : 1;
        request.attribute(COUNT, count);
        if (count > MAX) {
            request.abort(new HttpResponseException("more than " + MAX + " interim (1xx) answers", null));
        }
    }
}

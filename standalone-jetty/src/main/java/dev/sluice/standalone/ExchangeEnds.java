package dev.sluice.standalone;

import dev.sluice.proxy.service.ContainerEnd;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Tells every request's exchange when Jetty is done with the request ({@link ContainerEnd}): Jetty
 * completes this handler's callback however the request ended, also when it aborted a client
 * connection whose write failed without calling the servlet's async listeners.
 */
final class ExchangeEnds extends Handler.Wrapper {
    ExchangeEnds(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        ContainerEnd end = new ContainerEnd();
        request.setAttribute(ContainerEnd.ATTRIBUTE, end);
        return super.handle(request, response, new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                try {
                    super.succeeded();
                } finally {
                    end.ended(null);
                }
            }

            @Override
            public void failed(Throwable x) {
                try {
                    super.failed(x);
                } finally {
                    end.ended(x);
                }
            }
        });
    }
}

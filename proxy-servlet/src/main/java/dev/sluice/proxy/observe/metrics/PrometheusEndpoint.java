package dev.sluice.proxy.observe.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * What {@code prometheus@internal} answers: a scrape of the registry in the format the scraper's
 * {@code Accept} asks for (OpenMetrics text for {@code application/openmetrics-text}, else
 * Prometheus text 0.0.4), written by the Prometheus client's own writers.
 *
 * <p>The scrape is rendered into memory first, so its {@code Content-Length} is known and a failure
 * while collecting never leaves half an answer; writing it may then wait on a slow scraper, which
 * only an operator's endpoint ever has to.
 */
public final class PrometheusEndpoint {
    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Runnable afterScrape;

    PrometheusEndpoint(PrometheusRegistry registry, Runnable afterScrape) {
        this.registry = registry;
        this.afterScrape = afterScrape;
    }

    /** Answers one scrape; only GET and HEAD are allowed. */
    public void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        ExpositionFormatWriter writer = formats.findWriter(request.getHeader("Accept"));
        ByteArrayOutputStream body = new ByteArrayOutputStream(32 * 1024);
        writer.write(body, registry.scrape());
        afterScrape.run(); // what a reload removed was exported one last time
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(writer.getContentType());
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.size());
        if (!head) {
            body.writeTo(response.getOutputStream());
        }
    }
}

package dev.sluice.proxy.observe.accesslog;

import dev.sluice.proxy.config.AccessLogConfig;
import dev.sluice.proxy.config.AccessLogFormat;
import dev.sluice.proxy.observe.Session;
import dev.sluice.proxy.service.Exchange;

/**
 * One of the access log's formats, compiled from its configuration: turns an exchange (on the
 * thread that ended it, while its request may be read) or a relay session (on the writer's thread)
 * into one line, without the line end.
 */
interface LineFormat {
    /** Appends the line of {@code exchange}, the {@code count}th ended since the start. */
    void exchange(Exchange exchange, long count, StringBuilder out);

    /** Appends the line of {@code session}. */
    void session(Session session, long count, StringBuilder out);

    static LineFormat of(AccessLogConfig config) {
        AccessLogFormat format = config.format();
        return switch (format.kind()) {
            case COMMON -> new ClfFormat(config.fields(), false);
            case GENERIC_CLF -> new ClfFormat(config.fields(), true);
            case JSON -> new JsonFormat(config.fields());
            case TEMPLATE -> new TemplateFormat(format.parts());
        };
    }
}

package dev.sluice.proxy.servlet;

import dev.sluice.proxy.config.ConfigException;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.InlineConfig;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.runtime.SluiceRuntime;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots Sluice inside a servlet container (the WAR): reads the web application's init-params
 * ({@code <context-param>} in web.xml), starts the {@link SluiceRuntime} and publishes it for
 * {@link SluiceFilter} and {@link SluiceProxyServlet}. Either {@code config} names a TOML or YAML
 * file, or {@code upstreams} (with {@code strategy}, {@code preserveHost}, {@code prefix}) describes
 * one service inline. A bad configuration fails the deployment with the key path in the message.
 */
public class SluiceContextListener implements ServletContextListener {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceContextListener.class);

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        SluiceConfig config;
        try {
            config = load(context);
        } catch (ConfigException e) {
            LOG.error("Sluice configuration rejected:\n{}", e.getMessage());
            throw new IllegalStateException("Sluice configuration rejected: " + e.getMessage());
        }
        try {
            context.setAttribute(SluiceRuntime.ATTRIBUTE, SluiceRuntime.start(config));
        } catch (Exception e) {
            throw new IllegalStateException("Sluice failed to start: " + e.getMessage(), e);
        }
        LOG.info("Sluice started in {}", context.getContextPath().isEmpty() ? "/" : context.getContextPath());
    }

    private static SluiceConfig load(ServletContext context) throws ConfigException {
        String file = context.getInitParameter("config");
        if (file != null && !file.isBlank()) {
            return ConfigLoader.load(List.of(Path.of(file.trim())));
        }
        return InlineConfig.from(context::getInitParameter);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        Object runtime = event.getServletContext().getAttribute(SluiceRuntime.ATTRIBUTE);
        if (runtime instanceof SluiceRuntime sluice) {
            sluice.close();
            event.getServletContext().removeAttribute(SluiceRuntime.ATTRIBUTE);
        }
    }
}

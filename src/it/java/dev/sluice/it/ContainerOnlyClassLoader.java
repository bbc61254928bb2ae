package dev.sluice.it;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The parent class loader a web application gets in these tests: the JDK, plus only the packages a
 * real container puts on its own class path (the servlet API and the container's classes).
 *
 * <p>The test class path also holds everything the WAR bundles (the war module depends on
 * proxy-servlet, Jackson, jetty-client…). Both containers load a web application's classes
 * child-first, so a WAR that forgot a jar would still work here, silently borrowing it from the
 * test class path. With this parent it fails as it would in production: everything Sluice needs
 * must come from the WAR's WEB-INF/lib.
 */
final class ContainerOnlyClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final ClassLoader container;
    private final List<String> packages;
    private final List<String> resourcePrefixes;

    /** @param packages package prefixes the container provides, e.g. {@code "jakarta."} */
    ContainerOnlyClassLoader(String name, ClassLoader container, List<String> packages) {
        super(name, ClassLoader.getPlatformClassLoader());
        this.container = container;
        this.packages = List.copyOf(packages);
        this.resourcePrefixes = packages.stream().map(p -> p.replace('.', '/')).toList();
    }

    static ContainerOnlyClassLoader tomcat() {
        return new ContainerOnlyClassLoader("tomcat-common", ContainerOnlyClassLoader.class.getClassLoader(),
                List.of("jakarta.", "org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat.", "org.apache.juli.", "org.apache.naming."));
    }

    static ContainerOnlyClassLoader jetty() {
        return new ContainerOnlyClassLoader("jetty-server", ContainerOnlyClassLoader.class.getClassLoader(),
                List.of("jakarta.", "org.eclipse.jetty.", "org.slf4j."));
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (visible(packages, name)) {
            return container.loadClass(name);
        }
        throw new ClassNotFoundException(name + " (not provided by the container: the WAR must bundle it)");
    }

    @Override
    protected URL findResource(String name) {
        return visible(resourcePrefixes, name) ? container.getResource(name) : null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        return visible(resourcePrefixes, name) ? container.getResources(name) : Collections.emptyEnumeration();
    }

    private static boolean visible(List<String> prefixes, String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        for (String prefix : prefixes) {
            if (n.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

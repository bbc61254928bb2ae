package dev.sluice.proxy.service;

import dev.sluice.proxy.config.StaticConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pingoo's {@code static} service: files from one directory, with index files, single-page-app
 * fallback and a custom not-found page. Uses only the Servlet API, so it runs on any container.
 *
 * <p>Safety does not rest on path syntax alone: every candidate is resolved with
 * {@code toRealPath()} and must still lie under the root's real path, so a symlink that leaves
 * the root is as invisible as a file that does not exist. Requests whose path is malformed or
 * tries to climb ({@code ..}, encoded separators, NUL) are refused with 404 before any lookup.
 *
 * <p>Instances are immutable and thread-safe; the file system is consulted on every request,
 * so files may change while serving.
 */
public final class StaticFiles {
    static final String NOT_FOUND_TEXT = "404 page not found";

    private final Path root;
    private final List<String> index;
    private final boolean spa;
    private final Path notFoundFile;
    private final int notFoundStatus;

    /**
     * @throws IllegalArgumentException when the root is not a readable directory, an index name
     *     or the not-found page would lie outside it, or the not-found status is not 200–599
     */
    public StaticFiles(StaticConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.root() == null || config.root().isBlank()) {
            throw new IllegalArgumentException("static service: root is not set");
        }
        try {
            root = Path.of(config.root()).toRealPath();
        } catch (IOException | InvalidPathException e) {
            throw new IllegalArgumentException("static service: root \"" + config.root() + "\" does not exist or cannot be resolved");
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("static service: root \"" + config.root() + "\" is not a directory");
        }
        if (!Files.isReadable(root)) {
            throw new IllegalArgumentException("static service: root \"" + config.root() + "\" is not readable");
        }
        index = checkedIndex(config.index());
        spa = config.spa();
        StaticConfig.NotFound notFound = config.notFound();
        if (notFound != null && notFound.file() != null && !notFound.file().isBlank()) {
            notFoundFile = insideRoot(notFound.file(), "notFound.file");
            notFoundStatus = notFound.status();
            if (notFoundStatus < 200 || notFoundStatus > 599) {
                throw new IllegalArgumentException("static service: notFound.status " + notFoundStatus + " is not between 200 and 599");
            }
        } else {
            notFoundFile = null;
            notFoundStatus = HttpServletResponse.SC_NOT_FOUND;
        }
    }

    /** The real path of the served directory. */
    public Path root() {
        return root;
    }

    /**
     * Serves the file named by the request URI minus the context path. The response is always
     * finished: if the request is in async mode (started here or by the caller) its
     * {@code AsyncContext} is completed once the body has been written.
     */
    public void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath() == null ? "" : request.getContextPath();
        serve(request, response, uri != null && uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : null);
    }

    /**
     * Serves {@code rawPath}, a still percent-encoded path relative to the root (for callers that
     * mount this service under a prefix they strip themselves). {@code null} answers 404.
     */
    public void serve(HttpServletRequest request, HttpServletResponse response, String rawPath) throws IOException {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            ShortAnswers.text(request, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "405 method not allowed");
            ShortAnswers.complete(request);
            return;
        }
        RequestPath path = RequestPath.parse(rawPath);
        Lookup found = path == null ? Lookup.REFUSED : lookup(resolve(path.segments()));
        switch (found.kind) {
            case FILE:
                if (!FileResponder.serve(request, response, found.real, found.attrs)) {
                    notFound(request, response, true);
                }
                return;
            case DIRECTORY:
                // The browser resolves relative links against the URL it sees, so that is what
                // decides, even when a caller passed a rewritten rawPath.
                String uri = request.getRequestURI();
                if (uri == null || !uri.endsWith("/")) {
                    redirectToSlash(request, response);
                    return;
                }
                Lookup indexFile = findIndex(found.real);
                if (indexFile != null && FileResponder.serve(request, response, indexFile.real, indexFile.attrs)) {
                    return;
                }
                notFound(request, response, true); // never a listing
                return;
            case MISSING:
                notFound(request, response, true);
                return;
            default:
                // Refused or escaping paths are not "routes" of a single-page app: no fallback.
                notFound(request, response, false);
        }
    }

    private void notFound(HttpServletRequest request, HttpServletResponse response, boolean spaAllowed) throws IOException {
        if (spa && spaAllowed) {
            Lookup app = findIndex(root);
            if (app != null && FileResponder.serve(request, response, app.real, app.attrs)) {
                return;
            }
        }
        if (notFoundFile != null) {
            Lookup page = lookup(notFoundFile);
            if (page.kind == Kind.FILE
                    && FileResponder.serveAs(request, response, page.real, page.attrs, notFoundStatus)) {
                return;
            }
        }
        ShortAnswers.text(request, response, HttpServletResponse.SC_NOT_FOUND, NOT_FOUND_TEXT);
        ShortAnswers.complete(request);
    }

    /**
     * 301 to the same path with a slash, so relative links in the index page resolve. The
     * Location is relative to the last segment (as Go's file server does) so it stays right when
     * a proxy in front has stripped a prefix; {@code ./} guards a segment that looks like a scheme.
     */
    private static void redirectToSlash(HttpServletRequest request, HttpServletResponse response) {
        String uri = Objects.requireNonNullElse(request.getRequestURI(), "");
        String last = uri.substring(uri.lastIndexOf('/') + 1);
        StringBuilder location = new StringBuilder();
        if (last.indexOf(':') >= 0) {
            location.append("./");
        }
        location.append(last).append('/');
        String query = request.getQueryString();
        if (query != null) {
            location.append('?').append(query);
        }
        response.setHeader("Location", location.toString());
        ShortAnswers.empty(response, HttpServletResponse.SC_MOVED_PERMANENTLY);
        ShortAnswers.complete(request);
    }

    private Lookup findIndex(Path directory) {
        for (String name : index) {
            Lookup candidate = lookup(directory.resolve(name));
            if (candidate.kind == Kind.FILE) {
                return candidate;
            }
        }
        return null;
    }

    private Path resolve(List<String> segments) {
        try {
            Path path = root;
            for (String segment : segments) {
                path = path.resolve(segment);
            }
            return path;
        } catch (InvalidPathException e) {
            return null; // a name this file system cannot even express cannot exist in it
        }
    }

    /** Resolves links and classifies; only regular files and directories under root are usable. */
    private Lookup lookup(Path candidate) {
        if (candidate == null) {
            return Lookup.REFUSED;
        }
        Path real;
        BasicFileAttributes attrs;
        try {
            real = candidate.toRealPath();
            if (!real.startsWith(root)) {
                return Lookup.REFUSED;
            }
            attrs = Files.readAttributes(real, BasicFileAttributes.class);
        } catch (IOException | SecurityException e) {
            return Lookup.MISSING;
        }
        if (attrs.isDirectory()) {
            return new Lookup(Kind.DIRECTORY, real, attrs);
        }
        // FIFOs, sockets and devices are never opened: reading one could block or never end.
        return attrs.isRegularFile() ? new Lookup(Kind.FILE, real, attrs) : Lookup.MISSING;
    }

    private List<String> checkedIndex(List<String> names) {
        List<String> checked = new ArrayList<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("static service: index names must not be empty");
            }
            insideRoot(name, "index \"" + name + "\"");
            checked.add(name);
        }
        return List.copyOf(checked);
    }

    /** Lexical check at startup; the real-path check at request time still covers links. */
    private Path insideRoot(String relative, String what) {
        try {
            Path path = root.resolve(relative).normalize();
            if (!Path.of(relative).isAbsolute() && path.startsWith(root) && !path.equals(root)) {
                return path;
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        throw new IllegalArgumentException("static service: " + what + " must be a file path relative to root");
    }

    /** REFUSED: a malformed or climbing path, or one whose real path leaves the root. */
    private enum Kind { FILE, DIRECTORY, MISSING, REFUSED }

    private record Lookup(Kind kind, Path real, BasicFileAttributes attrs) {
        static final Lookup MISSING = new Lookup(Kind.MISSING, null, null);
        static final Lookup REFUSED = new Lookup(Kind.REFUSED, null, null);
    }
}

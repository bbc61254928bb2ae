package dev.sluice.proxy.middleware.grpcweb;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A gRPC-Web request as the gRPC request the upstream gets: its content type made gRPC's,
 * {@code TE: trailers} (which a gRPC server wants to see), and for text mode a body decoded from
 * base64 on the fly. The decoded length is not known up front (padding may come anywhere), so a text
 * request shows no {@code Content-Length} but {@code Transfer-Encoding: chunked}: the proxy then
 * streams it (that header is hop-by-hop and never forwarded).
 */
final class GrpcWebRequest extends HttpServletRequestWrapper {
    private final GrpcWebMode mode;
    private final String grpcType;
    private ServletInputStream input;

    GrpcWebRequest(HttpServletRequest request, GrpcWebMode mode) {
        super(request);
        this.mode = mode;
        this.grpcType = mode.toGrpc(request.getContentType());
    }

    private boolean text() {
        return mode == GrpcWebMode.TEXT;
    }

    @Override
    public String getContentType() {
        return grpcType;
    }

    @Override
    public int getContentLength() {
        return text() ? -1 : super.getContentLength();
    }

    @Override
    public long getContentLengthLong() {
        return text() ? -1 : super.getContentLengthLong();
    }

    @Override
    public String getHeader(String name) {
        String replaced = replaced(name);
        return replaced != null ? (replaced.isEmpty() ? null : replaced) : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        String replaced = replaced(name);
        if (replaced == null) {
            return super.getHeaders(name);
        }
        return replaced.isEmpty() ? Collections.emptyEnumeration() : Collections.enumeration(List.of(replaced));
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> names = new ArrayList<>();
        for (Enumeration<String> all = super.getHeaderNames(); all.hasMoreElements(); ) {
            String name = all.nextElement();
            if (replaced(name) == null) {
                names.add(name);
            }
        }
        names.add("Content-Type");
        names.add("TE");
        if (text()) {
            names.add("Transfer-Encoding");
        }
        return Collections.enumeration(names);
    }

    /** This request's value of a header it changes ("" for none), or null for headers it leaves alone. */
    private String replaced(String name) {
        if (name.equalsIgnoreCase("Content-Type")) {
            return grpcType;
        }
        if (name.equalsIgnoreCase("TE")) {
            return "trailers";
        }
        if (text() && name.equalsIgnoreCase("Content-Length")) {
            return "";
        }
        if (text() && name.equalsIgnoreCase("Transfer-Encoding")) {
            return "chunked";
        }
        return null;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (!text()) {
            return super.getInputStream();
        }
        if (input == null) {
            input = new Base64Input(super.getInputStream());
        }
        return input;
    }
}

package dev.sluice.proxy.middleware;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code contentType}: a response that reaches its first body bytes without a Content-Type gets
 * the one {@link ContentSniffer} reads from them, as Go's server would. Encoded bodies
 * (Content-Encoding set) are left alone, like Go does; any Content-Type already set wins.
 */
public final class ContentType implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        chain.doFilter(request, OverridingResponse.onBodyStart((HttpServletResponse) response, ContentType::setIfMissing));
    }

    private static void setIfMissing(HttpServletResponse response, byte[] bytes, int offset, int length) {
        String encoding = response.getHeader("Content-Encoding");
        if (response.getContentType() == null && (encoding == null || encoding.isEmpty())) {
            response.setContentType(ContentSniffer.detect(bytes, offset, length));
        }
    }
}

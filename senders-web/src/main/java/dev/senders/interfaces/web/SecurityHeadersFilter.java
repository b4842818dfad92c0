package dev.senders.interfaces.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;

/**
 * Sets {@link SecurityHeaders} on every response it sees, before the rest of the chain runs, so that the page, the
 * API's answers and refusals, and the container's own error pages carry them. Declared in the module's
 * web-fragment.xml for its paths (on REQUEST, FORWARD and ERROR dispatches); a host may map it over its own paths.
 * The init parameter {@code cache-control} adds that Cache-Control header (the API's mapping: {@code no-store}).
 */
public class SecurityHeadersFilter implements Filter {

    private SecurityHeaders headers;

    @Override
    public void init(FilterConfig config) {
        headers = SecurityHeaders.fromConfig(ConfigProvider.getConfig(), config.getInitParameter("cache-control"));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (response instanceof HttpServletResponse http) {
            headers.applyTo(http);
        }
        chain.doFilter(request, response);
    }
}

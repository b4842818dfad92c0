package dev.senders.host.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.AutoApplySession;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The host's sign-in: HTTP Basic for API clients, a form at /login for people (remembered in the session).
 * Unauthenticated API calls get 401; pages redirect to the login page.
 */
@ApplicationScoped
@AutoApplySession
public class HostAuthenticationMechanism implements HttpAuthenticationMechanism {

    @Inject
    IdentityStoreHandler identityStores;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] userAndPassword = decodeBasic(authorization.substring(6).trim());
            return login(context, userAndPassword[0], userAndPassword[1], true);
        }
        if (path.equals("/login") && "POST".equals(request.getMethod())) {
            AuthenticationStatus status = login(context, request.getParameter("username"),
                    request.getParameter("password"), false);
            String next = safeNext(request.getParameter("next"));
            if (status == AuthenticationStatus.SUCCESS) {
                return status; // LoginServlet sends the browser on
            }
            try {
                response.sendRedirect(request.getContextPath() + "/login.html?error=1&next="
                        + URLEncoder.encode(next, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return AuthenticationStatus.SEND_CONTINUE;
        }
        if (!context.isProtected()) {
            return context.doNothing();
        }
        if (path.startsWith("/api/") || path.startsWith("/host-api/")) {
            if (!"XMLHttpRequest".equals(request.getHeader("X-Requested-With"))) {
                // a Basic challenge would make the browser show its own sign-in prompt over the page
                response.setHeader("WWW-Authenticate", "Basic realm=\"senders\"");
            }
            return context.responseUnauthorized();
        }
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        return context.redirect(request.getContextPath() + "/login.html?next="
                + URLEncoder.encode(path + query, StandardCharsets.UTF_8));
    }

    private AuthenticationStatus login(HttpMessageContext context, String user, String password, boolean api) {
        if (user == null || password == null) {
            return api ? unauthorized(context) : AuthenticationStatus.SEND_FAILURE;
        }
        CredentialValidationResult result = identityStores.validate(new UsernamePasswordCredential(user, password));
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
            return context.notifyContainerAboutLogin(result);
        }
        return api ? unauthorized(context) : AuthenticationStatus.SEND_FAILURE;
    }

    private static AuthenticationStatus unauthorized(HttpMessageContext context) {
        context.getResponse().setHeader("WWW-Authenticate", "Basic realm=\"senders\"");
        return context.responseUnauthorized();
    }

    private static String[] decodeBasic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? new String[]{null, null}
                    : new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return new String[]{null, null};
        }
    }

    /** Only local paths: never an open redirect. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
            return "/analytics.html";
        }
        return next;
    }
}

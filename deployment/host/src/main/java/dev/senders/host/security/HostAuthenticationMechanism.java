package dev.senders.host.security;

import dev.senders.interfaces.web.SecurityHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.ConfigProvider;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;

/**
 * The host's sign-in: HTTP Basic for API clients, checked on every call and never remembered (no session is
 * created), and a form at /login for people, remembered in the session the container registers for it.
 * Unauthenticated API calls get 401; pages redirect to the login page. The redirects this mechanism answers itself
 * (before any filter runs) carry the module's security headers too.
 */
@ApplicationScoped
public class HostAuthenticationMechanism implements HttpAuthenticationMechanism {

    @Inject
    IdentityStoreHandler identityStores;

    private volatile SecurityHeaders securityHeaders;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        Principal signedIn = request.getUserPrincipal();
        if (signedIn != null) {
            // the caller of a session registered by the form sign-in (what @AutoApplySession did for every sign-in)
            return resume(context, signedIn);
        }
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
            securityHeaders().applyTo(response);
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
        securityHeaders().applyTo(response);
        return context.redirect(request.getContextPath() + "/login.html?next="
                + URLEncoder.encode(path + query, StandardCharsets.UTF_8));
    }

    /** Basic ({@code api}): this request only. The form: the container registers a session for the caller. */
    private AuthenticationStatus login(HttpMessageContext context, String user, String password, boolean api) {
        if (user == null || password == null) {
            return api ? unauthorized(context) : AuthenticationStatus.SEND_FAILURE;
        }
        CredentialValidationResult result = identityStores.validate(new UsernamePasswordCredential(user, password));
        if (result.getStatus() != CredentialValidationResult.Status.VALID) {
            return api ? unauthorized(context) : AuthenticationStatus.SEND_FAILURE;
        }
        AuthenticationStatus status = context.notifyContainerAboutLogin(result);
        if (!api && status == AuthenticationStatus.SUCCESS) {
            context.setRegisterSession(result.getCallerPrincipal().getName(), result.getCallerGroups());
        }
        return status;
    }

    /**
     * Hands the session's caller (a {@link HostUser}, so the module still reads its organization) to the container
     * for this request, as Soteria's AutoApplySessionInterceptor does.
     */
    private static AuthenticationStatus resume(HttpMessageContext context, Principal caller) {
        try {
            context.getHandler().handle(new Callback[]{new CallerPrincipalCallback(context.getClientSubject(), caller)});
        } catch (IOException | UnsupportedCallbackException e) {
            throw new IllegalStateException("the container refused the session's caller", e);
        }
        return AuthenticationStatus.SUCCESS;
    }

    private SecurityHeaders securityHeaders() {
        if (securityHeaders == null) {
            securityHeaders = SecurityHeaders.fromConfig(ConfigProvider.getConfig(), null);
        }
        return securityHeaders;
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

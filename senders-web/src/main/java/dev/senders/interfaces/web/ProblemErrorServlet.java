package dev.senders.interfaces.web;

import dev.senders.interfaces.rest.Problems;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Errors the container answers before JAX-RS runs (401, 403, 413), written as problem+json. */
@WebServlet(name = "senders-problem", urlPatterns = "/senders-problem")
public class ProblemErrorServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String detail = switch (status) {
            case 401 -> "Sign in to use the Senders API";
            case 403 -> "You may not access this resource";
            case 413 -> "The request body is too large";
            default -> Problems.titleFor(status);
        };
        String type = switch (status) {
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 413 -> "payload-too-large";
            default -> "http-" + status;
        };
        ProblemResponses.write(resp, status, Problems.body(status, type, Problems.titleFor(status), detail,
                uri == null ? null : uri.toString(), null, null));
    }
}

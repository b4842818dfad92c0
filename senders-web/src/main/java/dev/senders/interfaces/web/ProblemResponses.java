package dev.senders.interfaces.web;

import dev.senders.application.error.SendersProblem;
import dev.senders.interfaces.rest.Problems;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/** Problem details ({@link Problems}) written by a servlet, with the headers a {@link SendersProblem} calls for. */
final class ProblemResponses {

    private ProblemResponses() {
    }

    static void write(HttpServletResponse response, SendersProblem problem, String instance) throws IOException {
        Problems.headersOf(problem).forEach(response::setHeader);
        write(response, problem.status(), Problems.body(problem.status(), problem.type(), problem.title(),
                problem.detail(), instance, problem.field(), problem.reason()));
    }

    static void write(HttpServletResponse response, int status, JsonObject body, Map<String, String> headers)
            throws IOException {
        headers.forEach(response::setHeader);
        write(response, status, body);
    }

    static void write(HttpServletResponse response, int status, JsonObject body) throws IOException {
        response.setStatus(status);
        response.setContentType(Problems.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(body.toString());
    }
}

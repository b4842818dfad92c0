package dev.senders.benchapp;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Figure 4's bare POST as a plain servlet, the kind the SNS webhook is: reads the body as UTF-8 text and answers 200.
 * It is the least any POST of that size costs on this server, so the webhook's ratio to it counts all of the
 * webhook's own work and none of the server's ({@link BarePost} is the same as a JAX-RS resource, which costs more).
 *
 * <p>Benchmark-only: this WAR is built only in the {@code bench} profile.
 */
@WebServlet("/bench-servlet/echo")
public class BarePostServlet extends HttpServlet {

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        response.setStatus(body.isEmpty() ? 400 : 200);   // uses what it read, as any receiver does
    }
}

package dev.senders.benchapp;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Figure 4's floor ({@link WebhookFloor}) as a plain servlet, without JAX-RS: with
 * {@code -Dbench.floor.path=bench-servlet/webhook-floor} the floor leg posts here, so that a run shows what JAX-RS
 * costs a notification on this server (the webhook and the bare POST are JAX-RS resources).
 *
 * <p>Benchmark-only: this WAR is built only in the {@code bench} profile.
 */
@WebServlet("/bench-servlet/webhook-floor")
public class WebhookFloorServlet extends HttpServlet {

    @Inject
    WebhookFloor floor;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        floor.store(request.getHeader("x-amz-sns-message-type"), body);
        response.setStatus(200);
    }
}

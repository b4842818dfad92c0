package dev.senders.benchapp;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Figure 4's floor ({@link WebhookFloorStore}) as a plain servlet, as the SNS webhook is: the floor leg posts here unless
 * {@code -Dbench.floor.path=bench-api/webhook-floor} posts it to the same floor as a JAX-RS resource, which shows
 * what JAX-RS costs a notification on this server.
 *
 * <p>Benchmark-only: this WAR is built only in the {@code bench} profile.
 */
@WebServlet("/bench-servlet/webhook-floor")
public class WebhookFloorServlet extends HttpServlet {

    @Inject
    WebhookFloorStore floor;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        floor.store(request.getHeader("x-amz-sns-message-type"), body);
        response.setStatus(200);
    }
}

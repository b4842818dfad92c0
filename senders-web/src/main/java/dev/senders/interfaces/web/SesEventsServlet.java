package dev.senders.interfaces.web;

import dev.senders.application.error.SendersProblem;
import dev.senders.application.events.SesEventsWebhook;
import dev.senders.interfaces.rest.Problems;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Amazon SNS's deliveries of the SES events topic: {@code POST /api/webhooks/ses-events}, unauthenticated (the web
 * fragment leaves {@code /api/webhooks/*} open) because the message's SNS signature authenticates it.
 * <p>
 * A plain servlet on its exact path, which the container chooses over the module's JAX-RS application at
 * {@code /api/*}: it is the module's busiest endpoint, and JAX-RS's work per request measured as the largest single
 * part of a notification's cost (docs/benchmarks.md, figure 4). It keeps the API's contract:
 * <ul>
 *     <li>SNS posts the JSON message as {@code text/plain; charset=UTF-8} with an {@code x-amz-sns-message-type}
 *     header; any content type is accepted and the body is read as UTF-8, as SNS writes it.</li>
 *     <li>A body over {@code senders.api.max-webhook-body-bytes} (default 320 KiB: an SNS message may be 256 KB) is
 *     refused with 413 before anything parses it, whether Content-Length says so or a chunked body runs over.</li>
 *     <li>200 {@code {"outcome": "accepted" | "duplicate" | "confirmed"}}; refusals are problem+json (400 malformed or
 *     too old, 403 not proven from SNS or topic not allowed, 405 another method, 413, 502/503 when SNS itself could
 *     not be reached, so that SNS retries; 500 with an incident id, logged, for anything unexpected).</li>
 *     <li>The security headers and {@code Cache-Control: no-store} of {@code /api/*} come from the fragment's
 *     filter, as for every other answer of the API.</li>
 * </ul>
 */
@WebServlet(name = "senders-ses-events", urlPatterns = SesEventsServlet.PATH)
public class SesEventsServlet extends HttpServlet {

    static final String PATH = "/api/webhooks/ses-events";

    @Inject
    SesEventsWebhook webhook;

    @Inject
    @ConfigProperty(name = "senders.api.max-webhook-body-bytes", defaultValue = "327680")
    long maxBytes;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            ProblemResponses.write(response, 405, Problems.body(405, "http-405", Problems.titleFor(405),
                    "Method not allowed on this resource", PATH, null, null), Map.of("Allow", "POST"));
            return;
        }
        try {
            String body = body(request);
            SesEventsWebhook.Outcome outcome = webhook.receive(request.getHeader("x-amz-sns-message-type"), body);
            response.setStatus(200);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write("{\"outcome\":\"" + outcome.wire() + "\"}");
        } catch (SendersProblem problem) {
            ProblemResponses.write(response, problem, PATH);
        } catch (RuntimeException e) {
            ProblemResponses.write(response, 500, Problems.unexpected(e, PATH));
        }
    }

    /**
     * The body as UTF-8, at most {@link #maxBytes} of it: a longer one is refused (413) without reading on, one that
     * cannot be read (400) as well.
     */
    private String body(HttpServletRequest request) {
        if (request.getContentLengthLong() > maxBytes) {
            throw Problems.tooLarge(maxBytes);
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            // a broken chunked encoding, or a client gone mid-body: nothing was parsed or stored
            throw new SendersProblem(400, "unreadable-body", "Bad Request", "The request body could not be read");
        }
        if (bytes.length > maxBytes) {
            throw Problems.tooLarge(maxBytes);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

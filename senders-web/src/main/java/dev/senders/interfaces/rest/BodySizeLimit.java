package dev.senders.interfaces.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses bodies over {@code senders.api.max-body-bytes} (default 64 KiB) with 413, before anything parses them:
 * at once when Content-Length says so, and while reading when the body is chunked. The Resend webhook takes up to
 * {@code senders.api.max-webhook-body-bytes} (default 320 KiB), as the SNS webhook ({@code SesEventsServlet}, outside
 * JAX-RS) does.
 */
@Provider
@PreMatching
public class BodySizeLimit implements ContainerRequestFilter {

    @Inject
    @ConfigProperty(name = "senders.api.max-body-bytes", defaultValue = "65536")
    long maxBytes;

    @Inject
    @ConfigProperty(name = "senders.api.max-webhook-body-bytes", defaultValue = "327680")
    long maxWebhookBytes;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        long limit = path.startsWith("webhooks/") || path.startsWith("/webhooks/") ? maxWebhookBytes : maxBytes;
        if (request.getLength() > limit) {
            throw Problems.tooLarge(limit);
        }
        if (request.hasEntity()) {
            request.setEntityStream(new Limited(request.getEntityStream(), limit));
        }
    }

    private final class Limited extends FilterInputStream {
        private final long limit;
        private long remaining;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --remaining < 0) {
                throw Problems.tooLarge(limit);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0 && (remaining -= n) < 0) {
                throw Problems.tooLarge(limit);
            }
            return n;
        }
    }
}

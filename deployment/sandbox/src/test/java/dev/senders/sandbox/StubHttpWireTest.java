package dev.senders.sandbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stubs' HTTP/1.1 on the wire, read from a plain socket: the status lines carry the reason phrases the real
 * services send (429 Too Many Requests), a connection serves several requests (fixed-length and chunked bodies), and a
 * dropped answer closes the connection without one.
 */
class StubHttpWireTest {

    static final String MAIL = "{\"from\":\"a@example.com\",\"to\":\"b@example.com\",\"subject\":\"s\",\"text\":\"t\"}";

    ResendStub stub;

    @BeforeEach
    void start() {
        stub = ResendStub.start(0);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void theRateLimitAnswerIsTooManyRequestsAndTheConnectionServesTheNextRequests() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", stub.port())) {
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> statusLines = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                if (i == 2) {
                    // the answer of Resend's rate limit (the limit itself depends on the clock)
                    stub.failNext(1, 429, "rate_limit_exceeded", "Too many requests.", 1);
                }
                out.write(post("/emails", MAIL, i == 1 ? "chunked" : "length").getBytes(StandardCharsets.UTF_8));
                out.flush();
                statusLines.add(in.readLine());
                skipAnswer(in);
            }
            assertThat(statusLines).containsExactly("HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 429 Too Many Requests");

            out.write(("GET /_stub/nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 404 Not Found");
        }
        assertThat(stub.sentEmails()).as("the chunked body was read whole").hasSize(2);
    }

    @Test
    void aDroppedAnswerClosesTheConnectionWithoutOne() throws Exception {
        stub.dropNext(1);
        try (Socket socket = new Socket("127.0.0.1", stub.port())) {
            socket.getOutputStream().write(post("/emails", MAIL, "length").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(stub.requests()).extracting(ResendStub.Request::dropped).containsExactly(true);
    }

    private static String post(String path, String body, String framing) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer re_test\r\n"
                + "Content-Type: application/json\r\n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (framing.equals("chunked")) {
            String first = body.substring(0, 10);
            String rest = body.substring(10);
            return head + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(first.length()) + "\r\n" + first
                    + "\r\n" + Integer.toHexString(rest.length()) + "\r\n" + rest + "\r\n0\r\n\r\n";
        }
        return head + "Content-Length: " + bytes.length + "\r\n\r\n" + body;
    }

    /** Reads the headers and the Content-Length body of an answer whose status line was read. */
    private static void skipAnswer(BufferedReader in) throws Exception {
        int length = 0;
        String line;
        while (!(line = in.readLine()).isEmpty()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
            read += in.read(body, read, length - read);
        }
    }
}

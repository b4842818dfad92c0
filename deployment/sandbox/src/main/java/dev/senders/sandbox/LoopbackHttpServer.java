package dev.senders.sandbox;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The stubs' HTTP/1.1 server: handlers of the JDK's {@code com.sun.net.httpserver} API, served by this small server
 * because the JDK's own sends an empty reason phrase for every status it does not know (429, 422: "HTTP/1.1 429 ")
 * and has no way to set one, while the services the stubs stand in for send "429 Too Many Requests".
 * <p>
 * What it does as the JDK's server does: persistent connections (until the client closes, {@code Connection: close}
 * or HTTP/1.0), request bodies with {@code Content-Length} or chunked, {@code Expect: 100-continue}, answers with a
 * fixed length ({@code sendResponseHeaders(status, n > 0)}), chunked ({@code 0}) or without a body ({@code -1}, HEAD,
 * 204, 304), body bytes on the wire as soon as they are written, and an exchange closed before any answer closes the
 * connection without one (the stubs' "drop" fault). One connection per pooled thread.
 */
final class LoopbackHttpServer {

    private static final Logger LOG = Logger.getLogger(LoopbackHttpServer.class.getName());
    private static final int MAX_HEAD = 64 * 1024;
    private static final int IDLE_MILLIS = 60_000;
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    /** The reason phrases of RFC 9110 (and 429 of RFC 6585). */
    static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(100, "Continue"), Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(202, "Accepted"),
            Map.entry(204, "No Content"), Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"),
            Map.entry(303, "See Other"), Map.entry(304, "Not Modified"), Map.entry(307, "Temporary Redirect"),
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(406, "Not Acceptable"),
            Map.entry(408, "Request Timeout"), Map.entry(409, "Conflict"), Map.entry(410, "Gone"),
            Map.entry(411, "Length Required"), Map.entry(413, "Content Too Large"),
            Map.entry(415, "Unsupported Media Type"), Map.entry(422, "Unprocessable Content"),
            Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private final ServerSocket socket;
    private final HttpHandler handler;
    private final ExecutorService executor;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile Thread acceptor;
    private volatile boolean stopped;

    private LoopbackHttpServer(ServerSocket socket, HttpHandler handler, ExecutorService executor) {
        this.socket = socket;
        this.handler = handler;
        this.executor = executor;
    }

    /** Binds {@code address} and serves every request with {@code handler}, one connection per pooled thread. */
    static LoopbackHttpServer start(InetSocketAddress address, int backlog, HttpHandler handler,
                                    ExecutorService executor) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(address, backlog);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        LoopbackHttpServer server = new LoopbackHttpServer(socket, handler, executor);
        Thread accept = new Thread(server::acceptLoop, "http-accept-" + socket.getLocalPort());
        accept.setDaemon(true);
        server.acceptor = accept;
        accept.start();
        return server;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /**
     * Stops accepting and closes every open connection. Returns once the port is free: a socket closed while a thread
     * waits in {@code accept} is released by that thread as it leaves, so this waits for it.
     */
    void stop() {
        stopped = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        Thread accept = acceptor;
        if (accept != null && accept != Thread.currentThread()) {
            try {
                accept.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Socket connection : connections) {
            closeQuietly(connection);
        }
    }

    private void acceptLoop() {
        while (!stopped) {
            Socket connection;
            try {
                connection = socket.accept();
            } catch (IOException e) {
                if (!stopped) {
                    LOG.log(Level.FINE, "accept failed", e);
                }
                continue;
            }
            connections.add(connection);
            try {
                executor.execute(() -> serve(connection));
            } catch (RejectedExecutionException e) {
                connections.remove(connection);
                closeQuietly(connection);
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setTcpNoDelay(true);
            connection.setSoTimeout(IDLE_MILLIS);
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = new BufferedOutputStream(connection.getOutputStream());
            while (!stopped) {
                RequestHead head = RequestHead.read(in);
                if (head == null) {
                    return; // the client closed the connection between requests
                }
                if (head.bad() != null) {
                    writeBare(out, 400, head.bad());
                    return;
                }
                InputStream body = head.chunked() ? new ChunkedInput(in)
                        : new FixedInput(in, head.contentLength());
                if ("100-continue".equalsIgnoreCase(head.headers().getFirst("Expect"))) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                Exchange exchange = new Exchange(this, connection, head, body, out);
                try {
                    handler.handle(exchange);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.FINE, "handler failed on " + head.uri(), e);
                }
                if (!exchange.answered) {
                    return; // closed without an answer: the connection goes without one
                }
                exchange.finish();
                body.transferTo(OutputStream.nullOutputStream()); // what the handler left of the request body
                if (exchange.closeAfter) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "connection ended", e);
        } finally {
            connections.remove(connection);
        }
    }

    private static void writeBare(OutputStream out, int status, String why) throws IOException {
        byte[] text = why.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + REASONS.get(status) + "\r\nContent-Type: text/plain; charset=utf-8"
                + "\r\nContent-Length: " + text.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(text);
        out.flush();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** The request line and headers. {@code bad} is why the request cannot be served, else null. */
    private record RequestHead(String method, URI uri, String protocol, Headers headers, long contentLength,
                               boolean chunked, String bad) {

        /** Null when the stream ends before a request starts. */
        static RequestHead read(InputStream in) throws IOException {
            String line = readLine(in);
            while (line != null && line.isEmpty()) {
                line = readLine(in); // a stray CRLF between requests is allowed (RFC 9112 2.2)
            }
            if (line == null) {
                return null;
            }
            Headers headers = new Headers();
            int size = line.length();
            String header;
            while ((header = readLine(in)) != null && !header.isEmpty()) {
                size += header.length();
                if (size > MAX_HEAD) {
                    return badRequest(headers, "request head too large");
                }
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    return badRequest(headers, "malformed header line");
                }
                headers.add(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
            }
            String[] parts = line.split(" ");
            if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                return badRequest(headers, "malformed request line");
            }
            URI uri;
            try {
                uri = new URI(parts[1]);
            } catch (URISyntaxException e) {
                return badRequest(headers, "malformed request target");
            }
            String encoding = headers.getFirst("Transfer-Encoding");
            boolean chunked = encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
            long length = 0;
            String declared = headers.getFirst("Content-Length");
            if (!chunked && declared != null) {
                try {
                    length = Long.parseLong(declared.strip());
                } catch (NumberFormatException e) {
                    return badRequest(headers, "malformed Content-Length");
                }
            }
            return new RequestHead(parts[0], uri, parts[2], headers, length, chunked, null);
        }

        private static RequestHead badRequest(Headers headers, String why) {
            return new RequestHead("GET", URI.create("/"), "HTTP/1.1", headers, 0, false, why);
        }

        /** A line up to CRLF (or LF), ISO-8859-1; null at the end of the stream before any byte. */
        static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
                if (line.size() > MAX_HEAD) {
                    throw new IOException("line too long");
                }
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }

        boolean keepAlive() {
            String connection = headers.getFirst("Connection");
            boolean close = connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
            boolean keepAlive = connection != null && connection.toLowerCase(Locale.ROOT).contains("keep-alive");
            return !close && (protocol.equals("HTTP/1.1") || keepAlive);
        }
    }

    /** A request body of {@code Content-Length} bytes. */
    private static final class FixedInput extends InputStream {
        private final InputStream in;
        private long remaining;

        FixedInput(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n == -1) {
                throw new IOException("the request body ended early");
            }
            remaining -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(remaining, in.available());
        }
    }

    /** A chunked request body (RFC 9112 7.1); trailers are read and dropped. */
    private static final class ChunkedInput extends InputStream {
        private final InputStream in;
        private long remaining;
        private boolean done;

        ChunkedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (remaining == 0) {
                String size = RequestHead.readLine(in);
                if (size == null) {
                    throw new IOException("the chunked body ended early");
                }
                int semicolon = size.indexOf(';');
                try {
                    remaining = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("malformed chunk size " + size);
                }
                if (remaining == 0) {
                    String trailer;
                    while ((trailer = RequestHead.readLine(in)) != null && !trailer.isEmpty()) {
                        // trailers are not used
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n == -1) {
                throw new IOException("the chunked body ended early");
            }
            remaining -= n;
            if (remaining == 0) {
                RequestHead.readLine(in); // the CRLF after the chunk
            }
            return n;
        }
    }

    /** One request and its answer, as the JDK's API shows them to a handler. */
    private static final class Exchange extends HttpExchange {
        private final LoopbackHttpServer server;
        private final Socket connection;
        private final RequestHead head;
        private final OutputStream raw;
        private final Headers responseHeaders = new Headers();
        private final Map<String, Object> attributes = new HashMap<>();
        private InputStream requestBody;
        private OutputStream responseBody;
        private int status = -1;
        boolean answered;
        boolean closeAfter;

        Exchange(LoopbackHttpServer server, Socket connection, RequestHead head, InputStream body, OutputStream raw) {
            this.server = server;
            this.connection = connection;
            this.head = head;
            this.requestBody = body;
            this.raw = raw;
            this.responseBody = new NotYetAnswered();
            this.closeAfter = !head.keepAlive();
        }

        @Override
        public Headers getRequestHeaders() {
            return head.headers();
        }

        @Override
        public Headers getResponseHeaders() {
            return responseHeaders;
        }

        @Override
        public URI getRequestURI() {
            return head.uri();
        }

        @Override
        public String getRequestMethod() {
            return head.method();
        }

        @Override
        public HttpContext getHttpContext() {
            throw new UnsupportedOperationException("the stubs' server has one handler and no contexts");
        }

        @Override
        public void close() {
            try {
                if (answered) {
                    finish();
                }
            } catch (IOException e) {
                closeAfter = true;
            }
        }

        @Override
        public InputStream getRequestBody() {
            return requestBody;
        }

        @Override
        public OutputStream getResponseBody() {
            return responseBody;
        }

        @Override
        public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
            if (answered) {
                throw new IOException("headers already sent");
            }
            answered = true;
            status = rCode;
            boolean noBody = head.method().equals("HEAD") || rCode == 204 || rCode == 304 || rCode < 200;
            String reason = REASONS.getOrDefault(rCode, "");
            StringBuilder h = new StringBuilder(256).append("HTTP/1.1 ").append(rCode).append(' ').append(reason)
                    .append("\r\n");
            responseHeaders.remove("Content-Length");
            responseHeaders.remove("Transfer-Encoding");
            if (!responseHeaders.containsKey("Date")) {
                responseHeaders.set("Date", DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
            }
            if (closeAfter) {
                responseHeaders.set("Connection", "close");
            } else if ("close".equalsIgnoreCase(responseHeaders.getFirst("Connection"))) {
                closeAfter = true;
            }
            if (noBody) {
                if (!head.method().equals("HEAD") || responseLength <= 0) {
                    responseHeaders.set("Content-Length", "0");
                } else {
                    responseHeaders.set("Content-Length", String.valueOf(responseLength));
                }
                responseBody = new FixedOutput(raw, 0);
            } else if (responseLength > 0) {
                responseHeaders.set("Content-Length", String.valueOf(responseLength));
                responseBody = new FixedOutput(raw, responseLength);
            } else if (responseLength == 0) {
                responseHeaders.set("Transfer-Encoding", "chunked");
                responseBody = new ChunkedOutput(raw);
            } else {
                responseHeaders.set("Content-Length", "0");
                responseBody = new FixedOutput(raw, 0);
            }
            for (Map.Entry<String, List<String>> e : responseHeaders.entrySet()) {
                for (String v : e.getValue()) {
                    h.append(e.getKey()).append(": ").append(v).append("\r\n");
                }
            }
            h.append("\r\n");
            raw.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            raw.flush();
        }

        /** Completes the answer (the last chunk); a fixed-length answer left short closes the connection. */
        void finish() throws IOException {
            if (responseBody instanceof ChunkedOutput chunked) {
                chunked.end();
            } else if (responseBody instanceof FixedOutput fixed && fixed.remaining > 0) {
                closeAfter = true;
            }
            raw.flush();
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return (InetSocketAddress) connection.getRemoteSocketAddress();
        }

        @Override
        public int getResponseCode() {
            return status;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return (InetSocketAddress) connection.getLocalSocketAddress();
        }

        @Override
        public String getProtocol() {
            return head.protocol();
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public void setStreams(InputStream i, OutputStream o) {
            if (i != null) {
                requestBody = i;
            }
            if (o != null) {
                responseBody = o;
            }
        }

        @Override
        public HttpPrincipal getPrincipal() {
            return null;
        }

        @Override
        public String toString() {
            return head.method() + " " + head.uri() + " on " + server.address();
        }
    }

    /** The response body before {@code sendResponseHeaders}: writing is an error, as with the JDK's server. */
    private static final class NotYetAnswered extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("response headers not sent yet");
        }
    }

    /** Exactly {@code length} bytes, each write on the wire at once. */
    private static final class FixedOutput extends OutputStream {
        private final OutputStream raw;
        long remaining;

        FixedOutput(OutputStream raw, long length) {
            this.raw = raw;
            this.remaining = length;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > remaining) {
                throw new IOException("more than the " + remaining + " bytes left of the declared length");
            }
            raw.write(b, off, len);
            raw.flush();
            remaining -= len;
        }
    }

    /** A chunked body: each write one chunk, on the wire at once; {@link #end()} writes the last chunk. */
    private static final class ChunkedOutput extends OutputStream {
        private final OutputStream raw;
        private boolean ended;

        ChunkedOutput(OutputStream raw) {
            this.raw = raw;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (ended) {
                throw new IOException("the body is complete");
            }
            if (len == 0) {
                return;
            }
            raw.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            raw.write(b, off, len);
            raw.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            raw.flush();
        }

        @Override
        public void close() throws IOException {
            end();
        }

        void end() throws IOException {
            if (!ended) {
                ended = true;
                raw.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                raw.flush();
            }
        }
    }
}

package dev.senders.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a database server (PostgreSQL in the tests), so that a test can make the database
 * "restart" for one client without touching the real server, which other clients (and other test runs) share.
 *
 * <p>{@link #outage(Duration)} is what a server restart looks like to the client: every open connection is cut at
 * once (both sockets closed, so the client sees a reset or end of stream mid-conversation), and for the given time
 * the port refuses new connections (the listening socket is closed: "connection refused", as for a server that is
 * down); then it listens again on the same port and forwards as before. Binds 127.0.0.1 only.
 */
public final class DatabaseProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile ServerSocket listener;
    private volatile boolean closed;

    private DatabaseProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        ServerSocket first = bind(0);
        this.port = first.getLocalPort();
        listen(first);
    }

    /** A proxy on a free 127.0.0.1 port that forwards to {@code targetHost:targetPort}. */
    public static DatabaseProxy start(String targetHost, int targetPort) throws IOException {
        return new DatabaseProxy(targetHost, targetPort);
    }

    public int port() {
        return port;
    }

    /** Connections accepted so far (each forwarded to the target). */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Connections currently open through the proxy. */
    public int openConnections() {
        return open.size() / 2;
    }

    /**
     * Cuts every open connection and refuses new ones for {@code downtime}, then accepts again. Blocks for the
     * downtime.
     */
    public synchronized void outage(Duration downtime) throws IOException, InterruptedException {
        ServerSocket current = listener;
        listener = null;
        current.close();
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
        Thread.sleep(downtime.toMillis());
        listen(bind(port));
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return socket;
    }

    private void listen(ServerSocket socket) {
        listener = socket;
        Thread acceptor = new Thread(() -> {
            while (!closed && !socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    accepted.incrementAndGet();
                    connect(client);
                } catch (IOException e) {
                    // closed by an outage or close()
                }
            }
        }, "db-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void connect(Socket client) {
        Socket server;
        try {
            server = new Socket(targetHost, targetPort);
            server.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        open.add(client);
        open.add(server);
        pump(client, server);
        pump(server, client);
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (SocketException closed) {
                // cut by an outage, or the other side went away
            } catch (IOException e) {
                // same
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "db-proxy-pump-" + port);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        ServerSocket current = listener;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        open.forEach(DatabaseProxy::closeQuietly);
        open.clear();
    }
}

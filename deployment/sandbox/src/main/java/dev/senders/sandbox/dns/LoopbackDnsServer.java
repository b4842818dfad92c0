package dev.senders.sandbox.dns;

import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A DNS server on 127.0.0.1, UDP and TCP on the same port, answering from {@link LoopbackZones} (the wire format is
 * dnsjava's {@link Message}). Needs nothing but the JDK and dnsjava, so the demo runs it on any machine. A UDP answer
 * larger than the asker can take (512 bytes, or its EDNS size) is truncated with TC set, and the asker retries over
 * TCP, as with any DNS server.
 */
public final class LoopbackDnsServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LoopbackDnsServer.class.getName());
    private static final InetAddress LOOPBACK;

    static {
        try {
            LOOPBACK = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LoopbackZones zones;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final java.util.List<Thread> listeners = new java.util.ArrayList<>();
    private volatile boolean closed;

    private LoopbackDnsServer(LoopbackZones zones, DatagramSocket udp, ServerSocket tcp) {
        this.zones = zones;
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Starts on {@code port} of 127.0.0.1 (0: a free port, the same for UDP and TCP). */
    public static LoopbackDnsServer start(int port, LoopbackZones zones) {
        IOException last = null;
        for (int attempt = 0; attempt < (port == 0 ? 20 : 1); attempt++) {
            DatagramSocket udp = null;
            try {
                udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, port));
                ServerSocket tcp = new ServerSocket();
                try {
                    tcp.bind(new InetSocketAddress(LOOPBACK, udp.getLocalPort()), 50);
                } catch (IOException e) {
                    tcp.close();
                    throw e;
                }
                LoopbackDnsServer server = new LoopbackDnsServer(zones, udp, tcp);
                server.listeners.add(server.thread("udp", server::serveUdp));
                server.listeners.add(server.thread("tcp", server::acceptTcp));
                server.listeners.forEach(Thread::start);
                return server;
            } catch (IOException e) {
                if (udp != null) {
                    udp.close();
                }
                last = e; // the UDP port's TCP twin was taken: try another free port
            }
        }
        throw new UncheckedIOException("cannot bind the loopback DNS server to 127.0.0.1:" + port, last);
    }

    public int port() {
        return udp.getLocalPort();
    }

    /** {@code 127.0.0.1:<port>}, the form {@code senders.dns.servers} takes. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public LoopbackZones zones() {
        return zones;
    }

    private Thread thread(String kind, Runnable body) {
        Thread t = new Thread(body, "loopback-dns-" + kind + "-" + port());
        t.setDaemon(true);
        return t;
    }

    private void serveUdp() {
        byte[] buffer = new byte[65_535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                Message query = parse(packet.getData(), packet.getLength());
                if (query == null) {
                    continue;
                }
                OPTRecord opt = query.getOPT();
                int limit = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
                byte[] answer = zones.answer(query).toWire(limit);
                udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.log(Level.FINE, "loopback DNS (UDP): a query failed", e);
                }
            }
        }
    }

    private void acceptTcp() {
        while (!closed) {
            try {
                Socket connection = tcp.accept();
                thread("tcp-connection", () -> serveTcp(connection)).start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.FINE, "loopback DNS (TCP): accept failed", e);
                }
            }
        }
    }

    /** Length-prefixed queries (RFC 1035 4.2.2), several per connection, until the asker closes it. */
    private void serveTcp(Socket connection) {
        try (connection) {
            connection.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(connection.getInputStream());
            DataOutputStream out = new DataOutputStream(connection.getOutputStream());
            while (!closed) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException done) {
                    return;
                }
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                Message query = parse(bytes, length);
                if (query == null) {
                    return;
                }
                byte[] answer = zones.answer(query).toWire(65_535);
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.log(Level.FINE, "loopback DNS (TCP): a connection failed", e);
            }
        }
    }

    private static Message parse(byte[] data, int length) {
        try {
            return new Message(java.util.Arrays.copyOf(data, length));
        } catch (IOException notDns) {
            return null; // not a DNS message: no answer, as servers do with garbage
        }
    }

    /** Returns once the port is free (a socket closed under a waiting thread is released as that thread leaves). */
    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (SocketException ignored) {
            // closing
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Thread listener : listeners) {
            try {
                listener.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

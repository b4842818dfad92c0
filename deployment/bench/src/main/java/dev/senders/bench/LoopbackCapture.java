package dev.senders.bench;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When each SES request reached the loopback interface, as the kernel stamped its packet: {@code tcpdump} captures the
 * packets to the SES stub's port while a run of figure 15.6 sends ({@code -Dbench.capture=true}; it needs tcpdump and
 * the right to capture, which root has). That is where a real SES would start counting a request; the stub counts it
 * when its handler runs, later by however long the bench JVM's thread took to get the CPU. Each request is known by the
 * tag its sender gave it in the {@code x-senders-request-tag} header.
 */
final class LoopbackCapture implements AutoCloseable {

    private static final Pattern TAG = Pattern.compile("x-senders-request-tag: *(\\d+)", Pattern.CASE_INSENSITIVE);
    /** pcap's magic numbers, microsecond and nanosecond timestamps, as read little-endian. */
    private static final int MICROS = 0xa1b2c3d4;
    private static final int NANOS = 0xa1b23c4d;

    private final Process tcpdump;
    private final Path file;

    private LoopbackCapture(Process tcpdump, Path file) {
        this.tcpdump = tcpdump;
        this.file = file;
    }

    /** Starts capturing the requests to {@code port} on the loopback into {@code file}. */
    static LoopbackCapture start(int port, Path file) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Process p = new ProcessBuilder("tcpdump", "-i", "lo", "-s", "4096", "-B", "65536", "-U", "-w",
                file.toString(), "tcp dst port " + port + " and (tcp[tcpflags] & tcp-push != 0)")
                .redirectErrorStream(true).redirectOutput(file.resolveSibling(file.getFileName() + ".log").toFile())
                .start();
        // tcpdump says it is listening once it captures; give it that long, and fail if it stopped
        for (int i = 0; i < 50 && p.isAlive() && !Files.exists(file); i++) {
            Thread.sleep(100);
        }
        Thread.sleep(300);
        if (!p.isAlive()) {
            throw new IOException("tcpdump stopped (exit " + p.exitValue() + "): see " + file + ".log");
        }
        return new LoopbackCapture(p, file);
    }

    /** Stops the capture (its buffered packets written) and reads it: each request's tag, to its packet's time. */
    Map<Long, Long> stop() throws IOException, InterruptedException {
        close();
        return read(file);
    }

    @Override
    public void close() throws InterruptedException {
        if (tcpdump.isAlive()) {
            tcpdump.destroy(); // SIGTERM: tcpdump flushes what it holds
            if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
                tcpdump.destroyForcibly();
            }
        }
    }

    /**
     * The first packet of each request that names a tag: tag to the packet's wall-clock time in nanoseconds since the
     * epoch.
     */
    static Map<Long, Long> read(Path pcap) throws IOException {
        Map<Long, Long> byTag = new HashMap<>();
        try (InputStream in = Files.newInputStream(pcap); DataInputStream data = new DataInputStream(in)) {
            ByteBuffer header = ByteBuffer.wrap(data.readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
            if (header.capacity() < 24) {
                return byTag;
            }
            int magic = header.getInt(0);
            if (magic != MICROS && magic != NANOS) {
                throw new IOException("not a little-endian pcap file: " + pcap);
            }
            long fraction = magic == NANOS ? 1 : 1_000;
            while (true) {
                byte[] record;
                try {
                    record = new byte[16];
                    data.readFully(record);
                } catch (EOFException end) {
                    break;
                }
                ByteBuffer r = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
                long seconds = Integer.toUnsignedLong(r.getInt(0));
                long sub = Integer.toUnsignedLong(r.getInt(4));
                int length = r.getInt(8);
                byte[] packet = data.readNBytes(length);
                if (packet.length < length) {
                    break; // cut short by the stop
                }
                Matcher m = TAG.matcher(new String(packet, StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    byTag.putIfAbsent(Long.parseLong(m.group(1)), seconds * 1_000_000_000L + sub * fraction);
                }
            }
        }
        return byTag;
    }
}

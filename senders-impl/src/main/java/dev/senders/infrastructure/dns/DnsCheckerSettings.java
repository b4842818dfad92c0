package dev.senders.infrastructure.dns;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * DNS check settings from MicroProfile Config, and the application's {@link DnsRecordChecker}.
 * <ul>
 *     <li>{@code senders.dns.servers}: comma separated {@code host[:port]} ({@code [v6addr]:port} for IPv6 with a
 *     port); empty or absent = the system's resolvers (dnsjava's default {@code ResolverConfig}).</li>
 *     <li>{@code senders.dns.timeout}: ISO-8601 duration bounding each query, default {@code PT3S}.</li>
 * </ul>
 * The checker is produced {@link Singleton} (not a normal scope) because it is a final, immutable, thread-safe class
 * that CDI cannot proxy.
 */
@ApplicationScoped
public class DnsCheckerSettings {

    public static final String SERVERS = "senders.dns.servers";
    public static final String TIMEOUT = "senders.dns.timeout";
    private static final Logger LOG = Logger.getLogger(DnsCheckerSettings.class.getName());

    @Inject
    Config config;

    public List<InetSocketAddress> servers() {
        return parseServers(config.getOptionalValue(SERVERS, String.class).orElse(""));
    }

    public Duration timeout() {
        return parseTimeout(config.getOptionalValue(TIMEOUT, String.class).orElse("PT3S"));
    }

    @Produces
    @Singleton
    DnsRecordChecker dnsRecordChecker() {
        DnsRecordChecker checker = DnsRecordChecker.forServers(servers(), timeout());
        LOG.info(() -> "Senders DNS checks: " + checker);
        return checker;
    }

    /** {@code "1.1.1.1, 127.0.0.1:5353, [::1]:53, ::1, dns.example"}; port 53 unless given. */
    static List<InetSocketAddress> parseServers(String text) {
        List<InetSocketAddress> servers = new ArrayList<>();
        if (text == null) {
            return servers;
        }
        for (String item : text.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            String host = s;
            int port = 53;
            if (s.startsWith("[")) {
                int end = s.indexOf(']');
                if (end < 0) {
                    throw new IllegalArgumentException(SERVERS + ": missing ] in " + s);
                }
                host = s.substring(1, end);
                String rest = s.substring(end + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw new IllegalArgumentException(SERVERS + ": expected [address]:port, got " + s);
                    }
                    port = port(rest.substring(1), s);
                }
            } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                host = s.substring(0, s.indexOf(':'));
                port = port(s.substring(s.indexOf(':') + 1), s);
            }
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                throw new IllegalArgumentException(SERVERS + ": cannot resolve the DNS server " + host);
            }
            servers.add(address);
        }
        return List.copyOf(servers);
    }

    static Duration parseTimeout(String text) {
        Duration timeout;
        try {
            timeout = Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(TIMEOUT + " must be an ISO-8601 duration such as PT3S, got " + text, e);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException(TIMEOUT + " must be positive, got " + text);
        }
        return timeout;
    }

    private static int port(String text, String item) {
        try {
            int port = Integer.parseInt(text.strip());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SERVERS + ": bad port in " + item);
        }
    }
}

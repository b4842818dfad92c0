package dev.senders.infrastructure.network;

import com.google.common.net.InetAddresses;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

/**
 * Whether a configured URL's host is this machine's loopback interface: {@code localhost}, an address of
 * {@code 127.0.0.0/8} or {@code ::1} (also bracketed, or IPv4-mapped). Decided from the text alone: nothing is
 * resolved, so a name that some resolver maps to 127.0.0.1 is not loopback here.
 */
public final class LoopbackHost {

    private LoopbackHost() {
    }

    public static boolean is(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.equals("localhost")) {
            return true;
        }
        if (!InetAddresses.isInetAddress(h)) {
            return false;
        }
        InetAddress address = InetAddresses.forString(h);
        return address.isLoopbackAddress();
    }

    /** Whether the URL's host is loopback (false for null or a URL without a host). */
    public static boolean is(URI uri) {
        return uri != null && is(uri.getHost());
    }
}

package dev.senders.infrastructure.dns;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** One query's outcome as seen on the wire: the rcode and answer section, or the failure. */
record DnsAnswer(Name name, int type, int rcode, List<Record> answers, Throwable error) {

    static DnsAnswer of(Name name, int type, Message message) {
        return new DnsAnswer(name, type, message.getRcode(), List.copyOf(message.getSection(Section.ANSWER)), null);
    }

    static DnsAnswer failed(Name name, int type, Throwable error) {
        return new DnsAnswer(name, type, -1, List.of(), unwrap(error));
    }

    /** Neither a definite answer (NOERROR) nor a definite "no such name" (NXDOMAIN): nothing can be concluded. */
    boolean failed() {
        return error != null || (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN);
    }

    boolean timedOut() {
        return error instanceof TimeoutException || error instanceof SocketTimeoutException
                || (error instanceof IOException && error.getMessage() != null
                && error.getMessage().toLowerCase(Locale.ROOT).contains("timed out"));
    }

    /** What went wrong, for people: "SERVFAIL", "REFUSED", "no DNS server listening", ... */
    String failure() {
        if (error == null) {
            return Rcode.string(rcode);
        }
        if (error instanceof java.net.PortUnreachableException) {
            return "no DNS server listening at the configured address";
        }
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    /** Records of {@code wanted} type in the answer section (the chain the server followed from the name). */
    List<Record> ofType(int wanted) {
        return answers.stream().filter(r -> r.getType() == wanted).toList();
    }

    /** TXT values with each record's strings concatenated (DNS splits long values into 255-byte strings). */
    List<String> txtValues() {
        return ofType(Type.TXT).stream().map(r -> txtValue((TXTRecord) r)).toList();
    }

    /** The CNAME at the queried name, if the server returned one. */
    CNAMERecord cname() {
        return answers.stream().filter(r -> r instanceof CNAMERecord && r.getName().equals(name))
                .map(CNAMERecord.class::cast).findFirst().orElse(null);
    }

    static String txtValue(TXTRecord txt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : txt.getStringsAsByteArrays()) {
            out.writeBytes(part);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The name as typed, without escapes (a label {@code "abc} stays {@code "abc}) and without the trailing dot. */
    static String rawName(Name name) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < name.labels(); i++) {
            byte[] label = name.getLabel(i);
            if (label.length <= 1) {
                continue;
            }
            if (text.length() > 0) {
                text.append('.');
            }
            text.append(new String(label, 1, label[0] & 0xff, StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}

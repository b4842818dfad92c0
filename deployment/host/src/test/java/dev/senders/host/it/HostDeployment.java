package dev.senders.host.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/** The real reference host WAR, as Maven packaged it (the module inside, as a host includes it). */
public final class HostDeployment {

    private HostDeployment() {
    }

    /**
     * The host WAR with the test-only SPI probe ({@code /probe/send}, {@link dev.senders.host.it.probe.SendingProbe}):
     * a host's own code calling the Senders SPI directly; and a host's observer of the unsubscribe events
     * ({@code /probe/unsubscribes}, {@link dev.senders.host.it.probe.UnsubscribeProbe}).
     */
    public static WebArchive withProbe() {
        return war().addClasses(dev.senders.host.it.probe.ProbeApplication.class,
                dev.senders.host.it.probe.SendingProbe.class, dev.senders.host.it.probe.UnsubscribeProbe.class);
    }

    /** {@link #withProbe()} as a file, for the Payara Micro instances the tests start themselves. */
    public static synchronized java.nio.file.Path withProbeFile() {
        java.nio.file.Path file = java.nio.file.Path.of("target", "senders-host-probe.war").toAbsolutePath();
        if (!probeExported) {
            withProbe().as(org.jboss.shrinkwrap.api.exporter.ZipExporter.class).exportTo(file.toFile(), true);
            probeExported = true;
        }
        return file;
    }

    private static boolean probeExported;

    public static WebArchive war() {
        File war = new File(System.getProperty("senders.host.war", "target/senders-host.war"));
        if (!war.isFile()) {
            throw new IllegalStateException(war + " is missing: run the tests with 'mvn verify'");
        }
        return ShrinkWrap.create(ZipImporter.class, "senders-host.war").importFrom(war).as(WebArchive.class);
    }
}

package dev.senders.host.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/** The real reference host WAR, as Maven packaged it (the module inside, as a host includes it). */
public final class HostDeployment {

    private HostDeployment() {
    }

    public static WebArchive war() {
        File war = new File(System.getProperty("senders.host.war", "target/senders-host.war"));
        if (!war.isFile()) {
            throw new IllegalStateException(war + " is missing: run the tests with 'mvn verify'");
        }
        return ShrinkWrap.create(ZipImporter.class, "senders-host.war").importFrom(war).as(WebArchive.class);
    }
}

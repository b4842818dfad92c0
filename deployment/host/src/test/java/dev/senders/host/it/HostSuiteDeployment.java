package dev.senders.host.it;

import org.eu.ingwar.tools.arquillian.extension.suite.annotations.ArquillianSuiteDeployment;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The one deployment every Arquillian test class of a run shares (arquillian-suite-extension, named in
 * {@code arquillian.xml}): the host WAR with the test-only probe, deployed to one Payara Micro before the first
 * class and undeployed after the last. A Payara Micro start costs 11-16 s on CI's machines; one per class cost
 * about 3.5 of the run's 20 minutes.
 *
 * <p>So a test class must not rely on a fresh server: each works in organizations and recipients of its own, and
 * compares counters and metrics before and after. Tests that need a server of their own (the cluster, the fault
 * suite, a failed startup) start it themselves.
 */
@ArquillianSuiteDeployment
public final class HostSuiteDeployment {

    private HostSuiteDeployment() {
    }

    @Deployment(testable = false)
    public static WebArchive deployment() {
        return HostDeployment.withProbe();
    }
}

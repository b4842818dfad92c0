package dev.senders.host.campaigns;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/**
 * Carries on the campaigns left 'sending': at startup (after a restart or a crash) and every 15 seconds (a worker
 * that died, a claim whose lease ended, a retry whose timer was lost). Non-persistent, so it fires on every
 * instance of a cluster; the atomic claims make that safe.
 */
@Singleton
@Startup
@DependsOn("HostDatabase")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class CampaignResumer {

    @Inject
    CampaignSender sender;

    @PostConstruct
    void atStartup() {
        sender.resumeAll();
    }

    @Schedule(hour = "*", minute = "*", second = "*/15", persistent = false, info = "host-campaigns-resume")
    void periodically() {
        sender.resumeAll();
    }
}

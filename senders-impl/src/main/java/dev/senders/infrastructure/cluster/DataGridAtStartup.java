package dev.senders.infrastructure.cluster;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;

/**
 * Connects {@link SharedGenerations} to the data grid while the application starts, in a call of its own that does
 * nothing else.
 *
 * <p>Why: on Payara, a Hazelcast map remembers the Jakarta EE call in which it was first looked up (its "tenant"), and
 * Hazelcast's partition threads enter and leave that very call around each of the map's operations. Leaving it closes
 * the non-transactional EntityManagers it holds. When the first lookup happened in a request (the first send or sweep
 * of an instance), a backup of another instance's write closed that request's EntityManager under it: measured in
 * ClusterIT, an admin-triggered verification sweep answered 500 ("Attempting to execute an operation on a closed
 * EntityManager"), and every later operation of the map logged the same error again, 716 times in that run.
 * {@link SharedGenerations} looks the map up on a thread of its own, which inherits no call while the application
 * starts, so the map has no tenant at all; and this call holds no EntityManager and no transaction (bean-managed, none
 * begun) should a server tie the map to it after all.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class DataGridAtStartup {

    @Inject
    SharedGenerations generations;

    @PostConstruct
    void connect() {
        generations.connected();
    }
}

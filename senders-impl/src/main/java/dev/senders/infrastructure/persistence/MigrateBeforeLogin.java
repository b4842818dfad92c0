package dev.senders.infrastructure.persistence;

import org.eclipse.persistence.sessions.DatasourceLogin;
import org.eclipse.persistence.sessions.JNDIConnector;
import org.eclipse.persistence.sessions.SessionEvent;
import org.eclipse.persistence.sessions.SessionEventAdapter;

import javax.sql.DataSource;

/**
 * EclipseLink connects while the application deploys, before any bean of ours runs; on a database it cannot reach
 * the deployment fails quietly. This listener migrates the schema just before EclipseLink's first login, so that a
 * failure stops the server loudly, and JPA only ever sees a migrated schema. Registered in persistence.xml.
 */
public class MigrateBeforeLogin extends SessionEventAdapter {

    @Override
    public void preLogin(SessionEvent event) {
        if (event.getSession().getDatasourceLogin() instanceof DatasourceLogin login
                && login.getConnector() instanceof JNDIConnector jndi && jndi.getDataSource() != null) {
            SchemaMigration.migrateOnce(jndi.getDataSource());
        } else {
            SchemaMigration.migrateOnce(lookup());
        }
    }

    private static DataSource lookup() {
        try {
            return javax.naming.InitialContext.doLookup(SendersDatabase.JNDI_NAME);
        } catch (javax.naming.NamingException e) {
            throw new IllegalStateException("Senders data source " + SendersDatabase.JNDI_NAME + " not found", e);
        }
    }
}

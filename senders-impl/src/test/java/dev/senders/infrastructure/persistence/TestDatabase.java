package dev.senders.infrastructure.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * A real PostgreSQL for tests: the machine's, named by {@code SENDERS_TEST_DB_URL} (with {@code SENDERS_TEST_DB_USER}
 * and {@code SENDERS_TEST_DB_PASSWORD}), else an embedded one (io.zonky.test). Each instance works in a schema of its
 * own, migrated with the module's Flyway migrations and dropped on {@link #close()}, so tests leave the database as
 * they found it and never meet another run's schema.
 */
public final class TestDatabase implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    private final String url;
    private final String user;
    private final String password;
    private final String schema;

    private TestDatabase(EmbeddedPostgres embedded, String url, String user, String password) {
        this.embedded = embedded;
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Starts (or connects to) the database and migrates a new schema. */
    public static TestDatabase start() {
        String url = System.getenv("SENDERS_TEST_DB_URL");
        TestDatabase db;
        if (url != null && !url.isBlank()) {
            db = new TestDatabase(null, url, envOr("SENDERS_TEST_DB_USER", "postgres"),
                    envOr("SENDERS_TEST_DB_PASSWORD", "postgres"));
        } else {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                db = new TestDatabase(pg, "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres", "postgres",
                        "postgres");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        db.execute("create schema " + db.schema);
        SchemaMigration.flyway(db.simple()).migrate();
        return db;
    }

    /** A data source that opens a new connection each time, in this schema (as the module's, strings untyped). */
    public PGSimpleDataSource simple() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(user);
        ds.setPassword(password);
        ds.setCurrentSchema(schema);
        ds.setStringType("unspecified");
        return ds;
    }

    /**
     * A small pool of its own (one connection per thread, kept until {@link #close()}), as one instance of a
     * cluster has: connections are not opened at every call.
     */
    public DataSource pooled() {
        return new PerThread(simple());
    }

    public void execute(String sql) {
        try (Connection c = simple().getConnection(); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long queryLong(String sql) {
        try (Connection c = simple().getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private final List<PerThread> pools = new ArrayList<>();

    @Override
    public void close() {
        synchronized (pools) {
            pools.forEach(PerThread::close);
        }
        try {
            execute("drop schema if exists " + schema + " cascade");
        } finally {
            if (embedded != null) {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the test run ends anyway
                }
            }
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Each thread's own connection, handed out again and again; closing it only gives it back. */
    private final class PerThread implements DataSource {
        private final PGSimpleDataSource target;
        private final List<Connection> all = new ArrayList<>();
        private final ThreadLocal<Connection> mine = new ThreadLocal<>();

        PerThread(PGSimpleDataSource target) {
            this.target = target;
            synchronized (pools) {
                pools.add(this);
            }
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = mine.get();
            if (c == null || c.isClosed()) {
                c = target.getConnection();
                mine.set(c);
                synchronized (all) {
                    all.add(c);
                }
            }
            Connection real = c;
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[]{Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            return null;
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        void close() {
            synchronized (all) {
                for (Connection c : all) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // closing anyway
                    }
                }
            }
        }

        @Override
        public Connection getConnection(String username, String password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}

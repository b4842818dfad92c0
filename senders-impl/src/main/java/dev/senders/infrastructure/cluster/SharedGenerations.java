package dev.senders.infrastructure.cluster;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A generation number per key, shared by every instance of the cluster: the data grid's distributed map (Hazelcast
 * on Payara, found in JNDI under {@code senders.cluster.data-grid-jndi}, default {@code payara/Hazelcast}). A writer
 * moves a key to a new generation once its change is committed; a reader that cached something under an older
 * generation knows its copy is stale. Reads and writes of the map are strongly consistent on the key's partition
 * owner, so "moved on A" is seen by B's very next read, and they cost no database query.
 *
 * <p>Where the server has no data grid, {@link #current} is empty and callers read the database every time.
 * Hazelcast is reached through its {@code ConcurrentMap} interface, so the module has no compile-time dependency
 * on it.
 */
@ApplicationScoped
public class SharedGenerations {

    private static final Logger LOG = Logger.getLogger(SharedGenerations.class.getName());
    private static final String MAP_NAME = "senders-generations";
    private static final long LOOKUP_TIMEOUT_MILLIS = 60_000;

    @ConfigProperty(name = "senders.cluster.data-grid-jndi", defaultValue = "payara/Hazelcast")
    @jakarta.inject.Inject
    String dataGridJndi;

    private final SecureRandom random = new SecureRandom();
    private volatile ConcurrentMap<String, Long> generations;

    /** Looks the grid's map up once, in the first call that uses this bean: {@link DataGridAtStartup}'s. */
    @PostConstruct
    void connect() {
        generations = lookupOutsideAnyCall(dataGridJndi).orElse(null);
        if (generations == null) {
            LOG.info("No data grid at " + dataGridJndi + ": provider resolution reads the database at every send");
        } else {
            LOG.info("Senders data grid: connected to " + dataGridJndi + " (map " + MAP_NAME + ")");
        }
    }

    /** Whether the data grid's map is in use (false where the server has none). */
    public boolean connected() {
        return generations != null;
    }

    /**
     * The key's current generation (0 before its first change), or empty when the grid is absent or does not answer
     * (a member shutting down, a partition migrating): the caller then reads the database.
     */
    public OptionalLong current(String key) {
        ConcurrentMap<String, Long> map = generations;
        if (map == null) {
            return OptionalLong.empty();
        }
        try {
            Long generation = map.get(key);
            return OptionalLong.of(generation == null ? 0L : generation);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "data grid read failed; reading the database instead: " + e);
            return OptionalLong.empty();
        }
    }

    /** Moves the key to a new generation: call it after the change is committed. */
    public void advance(String key) {
        if (generations == null) {
            return;
        }
        long next;
        do {
            next = random.nextLong();
        } while (next == 0L);
        try {
            generations.put(key, next);
        } catch (RuntimeException e) {
            // the cached copies expire on their own (senders.routing.cache-ttl); say so loudly
            LOG.log(Level.SEVERE, "data grid write failed; other instances see this change when their copy expires: "
                    + e);
        }
    }

    /**
     * {@link #lookup} on a thread of its own, which no Jakarta EE call is running on: Payara ties a Hazelcast map to the
     * call it was first looked up in (its "tenant"), and then enters that call around each of the map's operations on
     * Hazelcast's partition threads (a CDI request context pushed and popped for every read of a generation, and
     * leaving the call closes the EntityManagers it holds). Looked up outside any call, the map has no tenant: its
     * operations run without it, which its keys and values (strings and longs, the JDK's classes) never needed. A
     * thread started while the application starts inherits no call from it.
     */
    static Optional<ConcurrentMap<String, Long>> lookupOutsideAnyCall(String jndiName) {
        return onThreadOfItsOwn(() -> lookup(jndiName), LOOKUP_TIMEOUT_MILLIS);
    }

    /** What {@code work} answers, run on a new thread; empty when it has not answered within the timeout. */
    static <T> Optional<T> onThreadOfItsOwn(Supplier<Optional<T>> work, long timeoutMillis) {
        AtomicReference<Optional<T>> found = new AtomicReference<>(Optional.empty());
        Thread thread = new Thread(() -> found.set(work.get()), "senders-data-grid-lookup");
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warning("data grid lookup still running after " + timeoutMillis + " ms; going without it");
            return Optional.empty();
        }
        return found.get();
    }

    @SuppressWarnings("unchecked")
    static Optional<ConcurrentMap<String, Long>> lookup(String jndiName) {
        try {
            Object grid = new InitialContext().lookup(jndiName);
            Class<?> type = Class.forName("com.hazelcast.core.HazelcastInstance", false,
                    grid.getClass().getClassLoader());
            Object map = type.getMethod("getMap", String.class).invoke(grid, MAP_NAME);
            return Optional.of((ConcurrentMap<String, Long>) map);
        } catch (NamingException | ReflectiveOperationException | ClassCastException | LinkageError e) {
            LOG.log(Level.FINE, "no data grid at " + jndiName, e);
            return Optional.empty();
        }
    }
}

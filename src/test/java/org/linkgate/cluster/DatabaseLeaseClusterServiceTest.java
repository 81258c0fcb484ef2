package org.linkgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.linkgate.store.TestDatabases;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The database lease on real H2 and PostgreSQL: two replicas (each its own Camel context and
 * connection) never lead the same namespace at once; a clean stop hands over at once; a leader
 * cut off from the database stops leading before the other takes over, after the lease.
 */
class DatabaseLeaseClusterServiceTest {

    static final Duration LEASE = Duration.ofMillis(2000);
    static final Duration DEADLINE = Duration.ofMillis(1000);
    static final Duration RETRY = Duration.ofMillis(200);
    static final String NS = "linkgate-intake-e10000012";
    private final List<CamelContext> contexts = new ArrayList<>();

    @AfterEach
    void stop() {
        contexts.forEach(CamelContext::stop);
    }

    DataSource database(String kind) {
        return kind.equals("postgres") ? TestDatabases.postgres() : TestDatabases.h2();
    }

    record Replica(CamelContext camel, DatabaseLeaseClusterService service, CamelClusterView view, Cuttable db,
                   AtomicBoolean leading) {
        boolean leads() {
            return view.getLocalMember().isLeader();
        }
    }

    Replica replica(String id, DataSource shared) throws Exception {
        Cuttable db = new Cuttable(shared);
        DefaultCamelContext camel = new DefaultCamelContext();
        DatabaseLeaseClusterService service = new DatabaseLeaseClusterService(new JdbcTemplate(db), id, LEASE, DEADLINE,
                RETRY, Clock.systemUTC());
        camel.addService(service, true, true);
        camel.start();
        contexts.add(camel);
        CamelClusterView view = service.getView(NS);
        AtomicBoolean leading = new AtomicBoolean();
        view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) ->
                leading.set(leader != null && leader.isLocal()));
        return new Replica(camel, service, view, db, leading);
    }

    /** Waits for the condition while checking, every few milliseconds, that never both lead. */
    static void await(String what, Duration timeout, Replica a, Replica b, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(a.leading().get() && b.leading().get()).as("both replicas lead " + NS).isFalse();
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void oneLeaderCleanHandOverAndTakeOverAfterTheLease(String kind) throws Exception {
        DataSource shared = database(kind);
        Replica a = replica("replica-a", shared);
        await("a leads", Duration.ofSeconds(5), a, a, a::leads);
        Replica b = replica("replica-b", shared);
        // b sees a renewing and stays a follower for well over a lease.
        long until = System.nanoTime() + LEASE.multipliedBy(3).toNanos();
        while (System.nanoTime() < until) {
            assertThat(b.leads()).as("b must not lead while a renews").isFalse();
            assertThat(a.leads()).as("a keeps leading").isTrue();
            Thread.sleep(50);
        }
        assertThat(b.view().getLeader()).hasValueSatisfying(l -> assertThat(l.getId()).isEqualTo("replica-a"));

        // a is cut off from the database (as if killed or partitioned): it stops leading by the
        // renew deadline, and only then, after the lease, does b take over.
        a.db().cut.set(true);
        long cutAt = System.nanoTime();
        await("a steps down", Duration.ofSeconds(5), a, b, () -> !a.leads());
        await("b takes over", Duration.ofSeconds(10), a, b, b::leads);
        // b counts the lease from the last renewal it saw, at most a couple of rounds before the cut.
        assertThat(Duration.ofNanos(System.nanoTime() - cutAt)).isGreaterThanOrEqualTo(LEASE.minus(RETRY.multipliedBy(2)));
        assertThat(new JdbcTemplate(shared).queryForObject("select holder from cluster_lease where namespace = ?",
                String.class, NS)).isEqualTo("replica-b");

        // a comes back: it follows, it does not lead again.
        a.db().cut.set(false);
        Thread.sleep(LEASE.toMillis());
        assertThat(a.leads()).isFalse();
        assertThat(b.leads()).isTrue();

        // b stops cleanly: its lease is released and a leads at once (well before a lease).
        long stopAt = System.nanoTime();
        b.camel().stop();
        await("a leads after b stops", Duration.ofSeconds(5), a, b, a::leads);
        assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).isLessThan(LEASE);
    }

    /**
     * A leader whose database calls hang (a partition: no error, no answer) still stops leading
     * by the renew deadline, before the other replica takes over.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aLeaderWhoseDatabaseHangsStepsDownBeforeTheOtherTakesOver(String kind) throws Exception {
        DataSource shared = database(kind);
        Replica a = replica("replica-a", shared);
        await("a leads", Duration.ofSeconds(5), a, a, a::leads);
        Replica b = replica("replica-b", shared);
        Thread.sleep(RETRY.multipliedBy(3).toMillis());
        assertThat(a.leads()).isTrue();
        a.db().hang.set(true);
        long hungAt = System.nanoTime();
        await("a steps down although its lease round hangs", Duration.ofSeconds(5), a, b, () -> !a.leads());
        assertThat(Duration.ofNanos(System.nanoTime() - hungAt)).isLessThan(LEASE);
        await("b takes over", Duration.ofSeconds(10), a, b, b::leads);
        a.db().hang.set(false);
        Thread.sleep(LEASE.toMillis());
        assertThat(a.leads()).as("a follows once it hears from the database again").isFalse();
        assertThat(b.leads()).isTrue();
    }

    /**
     * A follower whose lease query is slow (here: longer than the lease) counts the lease's freshness from
     * when the answer came back, not from before it asked: the leader may have renewed at any time during
     * the query. Rounds are driven by hand, so this is deterministic; counted from before the query, the
     * very next round took the lease over from a leader that had just renewed.
     */
    @org.junit.jupiter.api.Test
    void aSlowLeaseQueryDoesNotMakeAFreshLeaseLookStale() throws Exception {
        DataSource shared = database("h2");
        java.sql.Timestamp now = java.sql.Timestamp.from(java.time.Instant.now());
        new JdbcTemplate(shared).update("insert into cluster_lease (namespace, holder, generation, acquired_at, renewed_at)"
                + " values (?, 'replica-a', 7, ?, ?)", NS, now, now);
        Cuttable db = new Cuttable(shared);
        DatabaseLeaseClusterService service = new DatabaseLeaseClusterService(new JdbcTemplate(db), "replica-b", LEASE,
                DEADLINE, RETRY, Clock.systemUTC());
        DatabaseLeaseClusterService.View follower = service.new View(NS);

        db.delayNext.set(LEASE.plusMillis(500).toMillis());
        follower.tick();
        assertThat(follower.getLeader().map(m -> m.getId())).contains("replica-a");
        follower.tick();
        assertThat(follower.getLocalMember().isLeader()).isFalse();
        assertThat(new JdbcTemplate(shared).queryForObject("select holder from cluster_lease where namespace = ?",
                String.class, NS)).isEqualTo("replica-a");

        // Once the generation has stood still for a whole lease after it was seen, the follower takes over.
        Thread.sleep(LEASE.plusMillis(100).toMillis());
        follower.tick();
        assertThat(follower.getLocalMember().isLeader()).isTrue();
        assertThat(new JdbcTemplate(shared).queryForObject("select holder from cluster_lease where namespace = ?",
                String.class, NS)).isEqualTo("replica-b");
    }

    /** A data source whose connections fail while {@code cut} is set and do not come while {@code hang} is. */
    static final class Cuttable implements DataSource {
        final AtomicBoolean cut = new AtomicBoolean();
        final AtomicBoolean hang = new AtomicBoolean();
        /** Milliseconds the next connection takes to come (a slow query), then back to none. */
        final java.util.concurrent.atomic.AtomicLong delayNext = new java.util.concurrent.atomic.AtomicLong();
        private final DataSource delegate;

        Cuttable(DataSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Connection getConnection() throws SQLException {
            long delay = delayNext.getAndSet(0);
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted", "08001");
                }
            }
            while (hang.get()) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted", "08001");
                }
            }
            if (cut.get()) {
                throw new SQLException("connection refused (test: replica cut off)", "08001");
            }
            return delegate.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return delegate.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}

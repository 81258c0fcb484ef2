package org.linkgate.cluster;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Mode {@code database}: one row of {@code cluster_lease} per namespace names its leader.
 *
 * <p>The leader renews its lease every retry period by raising the row's generation (a compare
 * and set on holder and generation). Another replica takes the lease over, again by compare and
 * set on the generation, only after it has seen the generation stand still for a whole lease
 * duration, measured on its own monotonic clock: no replica trusts another's wall clock. A
 * leader that has not managed to renew for the renew deadline (shorter than the lease) stops its
 * consumers before anyone else may take over; a watchdog on its own thread checks this, so a
 * database call that hangs (a network partition) cannot keep a stale leader going. A replica that stops cleanly deletes its leases,
 * so a rolling restart hands over at once; a killed one is replaced after the lease duration.
 */
public final class DatabaseLeaseClusterService extends AbstractCamelClusterService<DatabaseLeaseClusterService.View> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseLeaseClusterService.class);
    private final JdbcTemplate jdbc;
    private final String memberId;
    private final Duration leaseDuration;
    private final Duration renewDeadline;
    private final Duration retryPeriod;
    private final Clock clock;

    public DatabaseLeaseClusterService(JdbcTemplate jdbc, String memberId, Duration leaseDuration,
                                       Duration renewDeadline, Duration retryPeriod, Clock clock) {
        super("linkgate-database-lease");
        // A statement may not outlive the renew deadline (the watchdog steps down meanwhile anyway).
        this.jdbc = new JdbcTemplate(jdbc.getDataSource());
        this.jdbc.setQueryTimeout((int) Math.max(1, renewDeadline.toSeconds()));
        this.memberId = memberId;
        this.leaseDuration = leaseDuration;
        this.renewDeadline = renewDeadline;
        this.retryPeriod = retryPeriod;
        this.clock = clock;
    }

    @Override
    protected View createView(String namespace) {
        return new View(namespace);
    }

    private record Lease(String holder, long generation) {
    }

    /** The lease of one namespace, as this replica sees it. */
    public final class View extends AbstractCamelClusterView {

        private final ClusterMember self;
        private ScheduledExecutorService scheduler;
        private volatile boolean leading;
        private volatile String leaderId;
        private volatile long renewedAtNanos;
        private final Object stateLock = new Object();
        private long observedGeneration = -1;
        private long observedAtNanos;

        View(String namespace) {
            super(DatabaseLeaseClusterService.this, namespace);
            this.self = new ClusterMember(memberId, true, () -> leading);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            if (leading) {
                return Optional.of(self);
            }
            String id = leaderId;
            return id == null ? Optional.empty() : Optional.of(new ClusterMember(id, false, () -> id.equals(leaderId)));
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return self;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            List<CamelClusterMember> members = new ArrayList<>(List.of(self));
            getLeader().filter(m -> !m.isLocal()).ifPresent(members::add);
            return members;
        }

        @Override
        protected void doStart() {
            // Two threads: the lease rounds, and the watchdog that must run even while a round hangs.
            scheduler = getCamelContext().getExecutorServiceManager()
                    .newScheduledThreadPool(this, "cluster-lease-" + getNamespace(), 2);
            scheduler.scheduleWithFixedDelay(this::tick, 0, retryPeriod.toMillis(), TimeUnit.MILLISECONDS);
            long watch = Math.max(10, retryPeriod.toMillis() / 4);
            scheduler.scheduleWithFixedDelay(this::watchdog, watch, watch, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void doStop() {
            if (scheduler != null) {
                getCamelContext().getExecutorServiceManager().shutdownNow(scheduler);
                scheduler = null;
            }
            boolean wasLeading = leading;
            change(false, null);
            if (wasLeading) {
                try {
                    jdbc.update("delete from cluster_lease where namespace = ? and holder = ?", getNamespace(), memberId);
                    LOG.info("cluster: released leadership of {}", getNamespace());
                } catch (RuntimeException e) {
                    LOG.warn("cluster: could not release the lease of {}; another replica takes it after {}: {}",
                            getNamespace(), leaseDuration, e.toString());
                }
            }
        }

        /** One round: renew, observe or take over; never throws, so the schedule keeps going. */
        void tick() {
            // Two readings of the monotonic clock, each used where it errs on the safe side:
            // - before the query: what this replica does on its own account (the time a renewal or take-over
            //   counts from for the watchdog, and "now" in the staleness test) — an earlier time makes the
            //   watchdog step down sooner and the staleness test answer "not yet" longer;
            // - after the query: when a new generation was seen. The SELECT may take up to the query timeout
            //   (the renew deadline), and the leader may have renewed at any moment during it, so the lease is
            //   only known fresh as of when the answer came back. Counting from before the query would judge
            //   it stale up to that long too early.
            // Margin: the leader's renewal time (taken before its own query) is no later than the commit of the
            // generation it wrote, which is no later than the moment a follower's query returns it; so the
            // follower takes over no earlier than leaseDuration after the leader's renewal, while the leader's
            // watchdog stops it renewDeadline (plus one watchdog period) after it, and renewDeadline <
            // leaseDuration (ClusterProperties).
            long started = System.nanoTime();
            try {
                Optional<Lease> lease = jdbc.query("select holder, generation from cluster_lease where namespace = ?",
                        (rs, n) -> new Lease(rs.getString(1), rs.getLong(2)), getNamespace()).stream().findFirst();
                long answered = System.nanoTime();
                if (lease.isEmpty()) {
                    acquireVacant(started);
                } else if (lease.get().holder().equals(memberId)) {
                    renew(lease.get(), started);
                } else {
                    follow(lease.get(), started, answered);
                }
            } catch (RuntimeException e) {
                LOG.warn("cluster: lease round for {} failed: {}", getNamespace(), e.toString());
            }
            watchdog();
        }

        /** A leader that has not renewed within the renew deadline stops leading, whatever the rounds are doing. */
        void watchdog() {
            try {
                if (leading && System.nanoTime() - renewedAtNanos > renewDeadline.toNanos()) {
                    LOG.error("cluster: could not renew the lease of {} for {}; stopping its consumers", getNamespace(),
                            renewDeadline);
                    change(false, null);
                }
            } catch (RuntimeException e) {
                LOG.error("cluster: watchdog of {} failed", getNamespace(), e);
            }
        }

        private void acquireVacant(long now) {
            try {
                jdbc.update("insert into cluster_lease (namespace, holder, generation, acquired_at, renewed_at)"
                        + " values (?, ?, 1, ?, ?)", getNamespace(), memberId, now(), now());
                took(now);
            } catch (DataIntegrityViolationException raced) {
                // Another replica inserted it first; it is observed in the next round.
            }
        }

        private void renew(Lease lease, long now) {
            int updated = jdbc.update("update cluster_lease set generation = generation + 1, renewed_at = ?"
                    + " where namespace = ? and holder = ? and generation = ?", now(), getNamespace(), memberId,
                    lease.generation());
            if (updated == 1) {
                renewedAtNanos = now;
                if (!leading) {
                    LOG.info("cluster: {} leads {} again", memberId, getNamespace());
                    change(true, memberId);
                }
            } else {
                change(false, null);
            }
        }

        /** {@code now}: before this round's query; {@code answered}: when it returned (see {@link #tick()}). */
        private void follow(Lease lease, long now, long answered) {
            if (leading) {
                LOG.warn("cluster: lease of {} is now held by {}; stopping its consumers", getNamespace(), lease.holder());
                change(false, lease.holder());
            }
            if (lease.generation() != observedGeneration || !lease.holder().equals(leaderId)) {
                observedGeneration = lease.generation();
                observedAtNanos = answered;
                if (!lease.holder().equals(leaderId)) {
                    change(false, lease.holder());
                }
                return;
            }
            if (now - observedAtNanos < leaseDuration.toNanos()) {
                return;
            }
            int updated = jdbc.update("update cluster_lease set holder = ?, generation = generation + 1,"
                    + " acquired_at = ?, renewed_at = ? where namespace = ? and generation = ?",
                    memberId, now(), now(), getNamespace(), lease.generation());
            if (updated == 1) {
                LOG.warn("cluster: {} took over {} from {} (not renewed for {})", memberId, getNamespace(),
                        lease.holder(), leaseDuration);
                took(now);
            }
        }

        private void took(long now) {
            renewedAtNanos = now;
            observedGeneration = -1;
            LOG.info("cluster: {} leads {}", memberId, getNamespace());
            change(true, memberId);
        }

        private void change(boolean lead, String leader) {
            synchronized (stateLock) {
                boolean changed = lead != leading || !Objects.equals(leader, leaderId);
                leading = lead;
                leaderId = leader;
                if (changed) {
                    fireLeadershipChangedEvent(getLeader());
                }
            }
        }

        private Timestamp now() {
            return Timestamp.from(clock.instant());
        }
    }
}

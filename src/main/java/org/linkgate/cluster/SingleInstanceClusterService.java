package org.linkgate.cluster;

import java.util.List;
import java.util.Optional;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

/**
 * Mode {@code none}: a single instance leads every namespace as soon as it starts, so the
 * {@code master:} endpoints behave exactly like their delegates.
 */
final class SingleInstanceClusterService extends AbstractCamelClusterService<SingleInstanceClusterService.View> {

    private final String memberId;

    SingleInstanceClusterService(String memberId) {
        super("linkgate-single-instance");
        this.memberId = memberId;
    }

    @Override
    protected View createView(String namespace) {
        return new View(this, namespace, memberId);
    }

    static final class View extends AbstractCamelClusterView {
        private final CamelClusterMember self;

        View(SingleInstanceClusterService service, String namespace, String memberId) {
            super(service, namespace);
            this.self = new ClusterMember(memberId, true, () -> isRunAllowed());
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return isRunAllowed() ? Optional.of(self) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return self;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(self);
        }

        @Override
        protected void doStart() {
            fireLeadershipChangedEvent(self);
        }

        @Override
        protected void doStop() {
            fireLeadershipChangedEvent((CamelClusterMember) null);
        }
    }
}

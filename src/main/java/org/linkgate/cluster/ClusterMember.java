package org.linkgate.cluster;

import java.util.function.BooleanSupplier;
import org.apache.camel.cluster.CamelClusterMember;

/** A replica as the cluster views see it; whether it leads is asked of the view each time. */
record ClusterMember(String id, boolean local, BooleanSupplier leads) implements CamelClusterMember {

    @Override
    public boolean isLeader() {
        return leads.getAsBoolean();
    }

    @Override
    public boolean isLocal() {
        return local;
    }

    @Override
    public String getId() {
        return id;
    }
}
